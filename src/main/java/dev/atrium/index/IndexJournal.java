package dev.atrium.index;

import dev.atrium.storage.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores and deletes the archive acknowledged, kept beside the embedded H2 index, whose file holds only a prefix
 * of its commits after a crash: H2 writes its file in the background (every half second, see {@link Database}), and
 * even with a write at each commit it lost the last one to five commits at most kills once it reused freed file
 * space (scripts/h2-crash-check). The store path ({@link GroupCommit}) appends one line per stored instance (its
 * change-feed sequence, partition, blob, duplicate policy, and the blob's size and CRC32C) and per delete, and
 * fdatasyncs the journal before anyone is answered; it syncs H2's file at most once a second. After an unclean stop,
 * the changes with a sequence above the index's last one are made again: the index is a prefix of its commits, so
 * that is exactly what it lost.
 *
 * <p>A store's line is written and synced before its transaction commits, while its blob is still being made durable
 * (the two flushes overlap). So a line can name a blob that a crash cut short, or a transaction that then rolled
 * back: the first is told by its size and checksum (the replay indexes only a blob whose bytes match, which is then
 * whole, acknowledged or not), the second by a withdrawal line, synced before the failure is reported.
 *
 * <p>A clean stop keeps the journal: the next start drops it once it has made again whatever the index lacks (the
 * replay journals what it makes again, in the new segment). Twice in about 50 crash-test runs, H2 reopened, after
 * the clean stop of a run that had recovered from a kill, without any of that run's writes; a journal deleted at the
 * stop would have lost them. It is bounded: a segment of {@link #SEGMENT_BYTES} (a line is about 70 bytes: close to a
 * million changes) that fills is dropped once the index file has been synced after it; at a start only the lines
 * above the index's last sequence are kept in memory.
 */
public final class IndexJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexJournal.class);
  static final long SEGMENT_BYTES = 64L << 20;
  private static final int MAX_LINE = 256;
  private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{1,18})\\.log");
  /** A store; the size and checksum are missing from lines of versions that journaled after the commit. */
  private static final Pattern STORED = Pattern.compile(
      "(\\d{1,18})\\t([A-Za-z0-9._-]{1,64})\\t([0-9a-f]{16,64})\\t([KR])(?:\\t(\\d{1,18})\\t([0-9a-f]{8}))?");
  private static final Pattern WITHDRAWN = Pattern.compile("(\\d{1,18})\\t([A-Za-z0-9._-]{1,64})\\t([0-9a-f]{16,64})\\tX");
  private static final Pattern DELETION = Pattern.compile(
      "(\\d{1,18})\\t([A-Za-z0-9._-]{1,64})\\tD\\t([0-9.]{1,64})\\t([0-9.]{1,64}|-)\\t([0-9.]{1,64}|-)");

  /** A journaled change, by the change-feed sequence of its (last) entry. */
  public sealed interface Record permits Stored, Deletion, Withdrawn {
    long sequence();

    String line();
  }

  /**
   * One instance, journaled before its commit: where the index records it, how to record it again, and what its blob
   * holds when whole ({@code checksum} the CRC32C of its bytes, or {@link #CHECKED_AT_COMMIT} for a line journaled
   * after its commit, when the blob was durable).
   */
  public record Stored(long sequence, String partition, String blobKey, boolean replace, long size, long checksum)
      implements Record {
    public static final long CHECKED_AT_COMMIT = -1;

    @Override
    public String line() {
      String hex = Long.toHexString(checksum); // a CRC32C: at most eight digits, padded (per instance: no format)
      return sequence + "\t" + partition + "\t" + blobKey + "\t" + (replace ? 'R' : 'K') + "\t" + size + "\t"
          + "00000000".substring(hex.length()) + hex + "\n";
    }

    /** The same store withdrawn: its transaction rolled back. */
    public Withdrawn withdrawn() {
      return new Withdrawn(sequence, partition, blobKey);
    }
  }

  /** A store journaled before a commit that did not happen: the replay skips it. */
  public record Withdrawn(long sequence, String partition, String blobKey) implements Record {
    @Override
    public String line() {
      return sequence + "\t" + partition + "\t" + blobKey + "\tX\n";
    }
  }

  /** An acknowledged delete of a study, a series (sop null) or an instance. */
  public record Deletion(long sequence, String partition, String studyUid, String seriesUid, String sopUid)
      implements Record {
    /** The line for a delete that {@code done} reports, or null when it removed nothing. */
    public static Deletion of(InstanceDeletion.Deleted done, String partition, String studyUid, String seriesUid,
        String sopUid) {
      return done.instances() == 0 ? null : new Deletion(done.lastSequence(), partition, studyUid, seriesUid, sopUid);
    }

    @Override
    public String line() {
      return sequence + "\t" + partition + "\tD\t" + studyUid + "\t" + (seriesUid == null ? "-" : seriesUid) + "\t"
          + (sopUid == null ? "-" : sopUid) + "\n";
    }
  }

  /** How a segment is made durable: fdatasync (a test holds it to watch who waits). */
  interface Force {
    void force(FileChannel segment) throws IOException;
  }

  private final Path dir;
  private final long segmentBytes;
  private final Force force;
  private final List<Path> earlierSegments;
  /** Full segments whose records the index may not hold durably yet: dropped at the next {@link #indexSynced()}. */
  private final List<Path> retired = new ArrayList<>();
  private Path currentPath;
  private FileChannel current;
  private long currentSize;
  /** Appends so far, and how many of them a sync has covered: a sync finds those before it done already. */
  private long appended;
  private long synced;

  private IndexJournal(Path dir, long segmentBytes, Force force, List<Path> earlierSegments, long nextNumber)
      throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.force = force;
    this.earlierSegments = earlierSegments;
    startSegment(nextNumber);
  }

  /** Opens the journal in {@code dir}: what an unclean stop left is read, and a new segment begun. */
  public static IndexJournal open(Path dir) throws IOException {
    return open(dir, SEGMENT_BYTES);
  }

  static IndexJournal open(Path dir, long segmentBytes) throws IOException {
    return open(dir, segmentBytes, segment -> segment.force(false));
  }

  static IndexJournal open(Path dir, long segmentBytes, Force force) throws IOException {
    Files.createDirectories(dir);
    List<Path> segments = segments(dir);
    long next = segments.isEmpty() ? 1 : number(segments.get(segments.size() - 1)) + 1;
    return new IndexJournal(dir, segmentBytes, force, segments, next);
  }

  /** The segments in {@code dir}, oldest first. */
  private static List<Path> segments(Path dir) throws IOException {
    List<Path> segments = new ArrayList<>();
    if (!Files.isDirectory(dir)) return segments;
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> number(f) >= 0).sorted(IndexJournal::bySegmentNumber).forEach(segments::add);
    }
    return segments;
  }

  private static int bySegmentNumber(Path a, Path b) {
    return Long.compare(number(a), number(b));
  }

  private static long number(Path file) {
    Matcher m = SEGMENT.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The complete lines of a segment after a sequence; a line cut short by a crash (the last one) is not a record. */
  private static void read(Path segment, long afterSequence, List<Record> records) throws IOException {
    try (InputStream in = Files.newInputStream(segment)) {
      byte[] buffer = new byte[64 * 1024];
      StringBuilder line = new StringBuilder();
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != '\n') {
            if (line.length() <= MAX_LINE) line.append((char) (buffer[i] & 0xFF));
            continue;
          }
          // A start after a clean stop reads a whole journal that the index holds: the lines at or below its
          // last sequence are passed over by their leading number (a full segment of 900,000 lines: 1.6–1.9 s
          // through the patterns, 0.34–0.40 s so).
          long sequence = leadingSequence(line);
          Record record = sequence >= 0 && sequence <= afterSequence ? null : parse(line.toString());
          if (record == null && (sequence < 0 || sequence > afterSequence)) {
            log.warn("index journal {}: skipping a malformed line", segment.getFileName());
          } else if (record != null && record.sequence() > afterSequence) {
            records.add(record);
          }
          line.setLength(0);
        }
      }
    }
  }

  /** The line's first field as a number, or -1 when it is not one (the line is then parsed, and warned of). */
  private static long leadingSequence(CharSequence line) {
    long value = 0;
    int i = 0;
    for (; i < line.length() && i <= 18 && line.charAt(i) >= '0' && line.charAt(i) <= '9'; i++) {
      value = value * 10 + (line.charAt(i) - '0');
    }
    return i == 0 || i > 18 || i == line.length() || line.charAt(i) != '\t' ? -1 : value;
  }

  private static Record parse(String line) {
    Matcher stored = STORED.matcher(line);
    if (stored.matches()) {
      boolean checked = stored.group(5) != null;
      return new Stored(Long.parseLong(stored.group(1)), stored.group(2), stored.group(3), stored.group(4).equals("R"),
          checked ? Long.parseLong(stored.group(5)) : -1,
          checked ? Long.parseLong(stored.group(6), 16) : Stored.CHECKED_AT_COMMIT);
    }
    Matcher withdrawn = WITHDRAWN.matcher(line);
    if (withdrawn.matches()) {
      return new Withdrawn(Long.parseLong(withdrawn.group(1)), withdrawn.group(2), withdrawn.group(3));
    }
    Matcher deletion = DELETION.matcher(line);
    if (deletion.matches()) {
      return new Deletion(Long.parseLong(deletion.group(1)), deletion.group(2), deletion.group(3),
          orNull(deletion.group(4)), orNull(deletion.group(5)));
    }
    return null;
  }

  private static String orNull(String uid) {
    return uid.equals("-") ? null : uid;
  }

  /**
   * The stores and deletes the journal held when opened with a sequence above {@code afterSequence}, without the
   * withdrawn stores: none when the index holds every change the journal names.
   */
  public List<Record> leftOver(long afterSequence) throws IOException {
    return records(earlierSegments, afterSequence);
  }

  /**
   * What a start would make again from the journal in {@code dir}, for an index whose last sequence is
   * {@code afterSequence}, read without opening the journal (which begins a segment): for checks from outside.
   */
  public static List<Record> pending(Path dir, long afterSequence) throws IOException {
    return records(segments(dir), afterSequence);
  }

  /**
   * The records to make again, in journal order. A withdrawal cancels the lines before it that it names, not those
   * after it: a transaction that rolled back and was tried again journals the same line (same sequence, same blob)
   * after withdrawing the first, and that second line is the committed one.
   */
  private static List<Record> records(List<Path> segments, long afterSequence) throws IOException {
    List<Record> records = new ArrayList<>();
    for (Path segment : segments) read(segment, afterSequence, records);
    List<Record> kept = new ArrayList<>(records.size());
    Map<Withdrawn, List<Integer>> positions = new HashMap<>();
    for (Record r : records) {
      if (r instanceof Withdrawn w) {
        for (int at : positions.getOrDefault(w, List.of())) kept.set(at, null);
        positions.remove(w);
        continue;
      }
      if (r instanceof Stored s) positions.computeIfAbsent(s.withdrawn(), k -> new ArrayList<>()).add(kept.size());
      kept.add(r);
    }
    kept.removeIf(Objects::isNull);
    return kept;
  }

  /**
   * The left-over records are in the index again, and journaled again in the current segment if they were made again:
   * the segments the journal was opened with can go.
   */
  public synchronized void replayed() throws IOException {
    for (Path segment : earlierSegments) Files.deleteIfExists(segment);
    earlierSegments.clear();
  }

  /** Appends records; they are on disk after the next {@link #sync()}. */
  public synchronized void append(List<? extends Record> records) throws IOException {
    if (records.isEmpty()) return;
    StringBuilder text = new StringBuilder(records.size() * 80);
    records.forEach(r -> text.append(r.line()));
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) currentSize += current.write(bytes);
    appended++;
    if (currentSize >= segmentBytes) {
      force.force(current); // what it holds stays durable once its successor starts
      current.close();
      retired.add(currentPath);
      startSegment(number(currentPath) + 1);
    }
  }

  /**
   * The index file was synced after every record appended so far was committed to it: the full segments are no
   * longer needed. Until then they stay, however many there are, so a crash never finds a change in neither.
   */
  public synchronized void indexSynced() throws IOException {
    for (Path segment : retired) Files.deleteIfExists(segment);
    retired.clear();
  }

  /** fdatasync: every record appended so far is on disk. */
  public void sync() throws IOException {
    syncCovering(appended());
  }

  /** How many appends were made so far: what {@link #syncCovering} takes. */
  public synchronized long appended() {
    return appended;
  }

  /**
   * Returns once the first {@code appends} appends are on disk: at once when a sync since covered them, else after an
   * fdatasync. The sync holds no lock, so that appends go on while it runs (they wait for the next one).
   */
  public void syncCovering(long appends) throws IOException {
    FileChannel channel;
    long upTo;
    synchronized (this) {
      if (synced >= appends) return;
      channel = current;
      upTo = appended;
    }
    try {
      force.force(channel);
    } catch (ClosedChannelException e) {
      synchronized (this) {
        if (channel == current) throw e; // closed, not full: nothing can be made durable any more
      } // full, and forced before it was closed (append)
    }
    synchronized (this) {
      synced = Math.max(synced, upTo);
    }
  }

  private void startSegment(long number) throws IOException {
    currentPath = dir.resolve("journal-" + number + ".log");
    current = FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    currentSize = 0;
    Directories.sync(dir); // the new segment's name survives a power loss
  }

  /** Closes the current segment; every record was synced before anyone was answered. The segments stay. */
  @Override
  public synchronized void close() throws IOException {
    if (current.isOpen()) current.close();
  }
}
