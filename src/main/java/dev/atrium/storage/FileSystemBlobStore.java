package dev.atrium.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files: {@code root/ab/cd/abcd…} (two hash-prefix levels keep directories small).
 * Writes go to {@code root/.staging/<process>/KEY.tmp} ({@link StagingDirectories}: nodes sharing the store each
 * stage apart), in a file made ahead whose name is durable already ({@link BlankStagingFiles}); publish fsyncs its
 * data (and the staging directory, for a file made on the spot) and hard-links it to its final name. The staging
 * entry stays until the index has committed and the final directory is synced ({@link DeferredNameSync}, after the
 * acknowledgement), so it marks the blob in flight
 * and keeps it on disk meanwhile: after a crash, {@link #restore} links again the final names a power loss
 * took, and {@link #recover} decides each staging entry from the index, in time proportional to what was
 * in flight, not to the size of the archive.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** For the small writes (a PS3.10 header); writers hand bulk data over in larger blocks, which go straight through. */
  private static final int BUFFER = 8 * 1024;

  /** Runs the data fsyncs started by {@link BlobWriter#startSync()}; one thread per concurrent store. */
  private static final ExecutorService SYNC = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "blob-sync");
    t.setDaemon(true);
    return t;
  });

  private static final AtomicLong PARTS = new AtomicLong();

  private final Path root;
  private final StagingDirectories stagingDirectories;
  private final Path staging;
  /** Its file system, found once: finding it reads the mount table. */
  private volatile FileStore stagingFileStore;
  private final SharedDirectorySync.DirectorySync directorySync;
  private final SharedDirectorySync stagingSync;
  private final DeferredNameSync finalNames;
  private final BlankStagingFiles blanks;

  public FileSystemBlobStore(Path root) throws IOException {
    this(root, Directories::sync);
  }

  /** @param directorySync how a directory is forced to disk (tests watch the order) */
  FileSystemBlobStore(Path root, SharedDirectorySync.DirectorySync directorySync) throws IOException {
    this.root = root;
    this.directorySync = directorySync;
    Files.createDirectories(root);
    directorySync.force(root);
    this.stagingDirectories = new StagingDirectories(root.resolve(".staging"), directorySync);
    this.staging = stagingDirectories.own();
    this.stagingSync = new SharedDirectorySync(staging, directorySync, SYNC);
    this.finalNames = new DeferredNameSync(directorySync);
    this.blanks = new BlankStagingFiles(staging, FileSystemBlobStore::randomKey, directorySync, SYNC);
  }

  /**
   * A blob in a staging file made ahead, whose name is durable already ({@link BlankStagingFiles}), or in a new one
   * when none is ready.
   */
  @Override
  public BlobWriter create() throws IOException {
    String blank = blanks.take();
    if (blank != null) {
      try {
        return new FileBlobWriter(blank, true);
      } catch (NoSuchFileException e) {
        log.warn("blob store: a staging file made ahead is gone ({}); making a new one", e.getMessage());
      }
    }
    return new FileBlobWriter(randomKey(), false);
  }

  /** A random key; its first four hex digits (its two directory levels) are re-chosen by place(). */
  private static String randomKey() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** The directory group of a placement: the first two bytes of its SHA-256, as four hex digits. */
  static String groupOf(String placement) {
    byte[] digest = SHA_256.get().digest(placement.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 2);
  }

  /** One per thread: the provider lookup of MessageDigest.getInstance cost more than the digest of a UID. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  });

  @Override
  public void publishAll(List<? extends BlobWriter> writers) throws IOException {
    for (BlobWriter writer : writers) ((FileBlobWriter) writer).link();
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(pathOf(key));
  }

  @Override
  public FileChannel openChannel(String key) throws IOException {
    return FileChannel.open(pathOf(key), StandardOpenOption.READ);
  }

  @Override
  public long size(String key) throws IOException {
    return Files.size(pathOf(key));
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(pathOf(key)); // the blob first: see writeMetadata
    Files.deleteIfExists(metadataPathOf(key));
  }

  @Override
  public void writeMetadata(String key, byte[] document) throws IOException {
    // Whole or not at all for a concurrent reader (the store and a reader rebuilding it may both write it): written
    // aside, then renamed over. A crash's leftover is a staging entry like any other, removed at startup.
    Path part = staging.resolve(key + "-" + PARTS.incrementAndGet() + ".json.part");
    try {
      Files.write(part, document);
      Files.move(part, metadataPathOf(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // Only after a failure: once moved there is nothing to remove (a miss cost a failed lookup and an exception
      // per stored instance, 3 % of a C-STORE thread's CPU).
      try {
        Files.deleteIfExists(part);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    // A delete that ran meanwhile removed the blob before the document: this one must not outlive it.
    if (!Files.exists(pathOf(key))) Files.deleteIfExists(metadataPathOf(key));
  }

  @Override
  public InputStream openMetadata(String key) throws IOException {
    return Files.newInputStream(metadataPathOf(key));
  }

  private Path metadataPathOf(String key) {
    Path blob = pathOf(key);
    return blob.resolveSibling(key + ".json");
  }

  /** The only way a key becomes a path: it must be one of ours. */
  /** A blob key: 32 lowercase hex digits (a random id, or a placement group and one). */
  private static boolean isKey(String key) {
    if (key == null || key.length() != 32) return false;
    for (int i = 0; i < 32; i++) {
      char c = key.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
    }
    return true;
  }

  Path pathOf(String key) {
    if (!isKey(key)) throw new IllegalArgumentException("not a blob key: " + key);
    return root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
  }

  @Override
  public int restore(Placement placement) throws IOException {
    int restored = 0;
    Set<Path> renamedIn = new LinkedHashSet<>();
    Set<Path> directories = new LinkedHashSet<>();
    for (StagedEntry entry : stagedEntries()) {
      if (entry.key() == null || Files.exists(pathOf(entry.key()))) continue; // placed and linked, or not ours
      if (Files.size(entry.path()) == 0) continue; // made ahead and never written (BlankStagingFiles)
      String placed = placedKey(entry, placement);
      if (placed == null) continue; // never written whole, so never committed: recover() removes it
      Path staged = entry.path();
      if (!placed.equals(entry.key())) { // the place() rename was lost: make it again
        staged = Files.move(staged, staged.resolveSibling(placed + ".tmp"), StandardCopyOption.ATOMIC_MOVE);
        renamedIn.add(staged.getParent());
      }
      Path target = pathOf(placed);
      if (Files.exists(target)) continue;
      linkFinal(target, staged);
      directories.add(target.getParent());
      restored++;
    }
    for (Path directory : renamedIn) directorySync.force(directory);
    for (Path directory : directories) directorySync.force(directory);
    return restored;
  }

  /** The key a staged blob has once placed, from its content; null when the content cannot tell. */
  private String placedKey(StagedEntry entry, Placement placement) {
    try {
      String where = placement.of(() -> Files.newInputStream(entry.path()), Files.size(entry.path()));
      return where == null ? null : groupOf(where) + entry.key().substring(4);
    } catch (IOException | RuntimeException e) {
      log.info("recovery: staged blob {} cannot be read back ({}); it was never committed", entry.key(),
          e.toString());
      return null;
    }
  }

  @Override
  public int recover(Predicate<String> committed) throws IOException {
    int removed = 0;
    List<StagedEntry> entries = stagedEntries();
    Set<Path> kept = new LinkedHashSet<>();
    for (StagedEntry entry : entries) {
      if (entry.key() == null) continue;
      if (committed.test(entry.key())) {
        Path target = pathOf(entry.key());
        if (!Files.exists(target)) linkFinal(target, entry.path()); // not restored before: the index decides now
        kept.add(target.getParent());
      } else {
        Files.deleteIfExists(metadataPathOf(entry.key()));
        if (Files.deleteIfExists(pathOf(entry.key()))) removed++;
      }
    }
    // The final names of kept blobs are on disk before the staging entries that could restore them go.
    for (Path directory : kept) directorySync.force(directory);
    for (StagedEntry entry : entries) Files.deleteIfExists(entry.path());
    stagingDirectories.recovered();
    return removed;
  }

  /** A staging entry, and the key it stages (null for a name that is not one of ours). */
  private record StagedEntry(Path path, String key) {}

  private List<StagedEntry> stagedEntries() throws IOException {
    List<StagedEntry> entries = new ArrayList<>();
    for (Path entry : stagingDirectories.leftOver()) {
      String name = entry.getFileName().toString();
      String key = name.endsWith(".tmp") ? name.substring(0, name.length() - 4) : "";
      entries.add(new StagedEntry(entry, isKey(key) ? key : null));
    }
    return entries;
  }

  @Override
  public void close() throws IOException {
    blanks.close();
    finalNames.close();
    stagingDirectories.close();
  }

  /** As the process's death would leave the store (tests of recovery): nothing flushed, its staging up for takeover. */
  void crash() throws IOException {
    blanks.abandon();
    stagingDirectories.releaseAsACrashWould();
  }

  /** How many staging files made ahead are ready (tests). */
  int blanksReady() {
    return blanks.ready();
  }

  /** This process's staging directory. */
  Path staging() {
    return staging;
  }

  /**
   * The final name of a staged file, in its hash-prefix directory; a new directory, and its parents' entries for
   * it, are on disk before a name in it is relied on. The name itself is synced by the caller's directory sync.
   */
  private void linkFinal(Path target, Path staged) throws IOException {
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      directorySync.force(dir.getParent());
      directorySync.force(dir.getParent().getParent());
    }
    Files.createLink(target, staged);
  }

  /**
   * Below this much free space, a store is all but sure to fail: an empty file can still be made on a full disk. The
   * health check holds the index's disk to it too ({@code index.CommitSync}).
   */
  public static final long MIN_FREE_BYTES = 16L << 20;

  @Override
  public void checkWritable() throws IOException {
    Path probe = Files.createTempFile(staging, "health", ".probe");
    Files.delete(probe);
    long free = usableSpace();
    if (free < MIN_FREE_BYTES) {
      throw new FileSystemException(staging.toString(), null, "the store's disk is full (" + (free >> 10)
          + " KiB free)");
    }
  }

  @Override
  public long usableSpace() throws IOException {
    FileStore store = stagingFileStore;
    if (store == null) stagingFileStore = store = Files.getFileStore(staging);
    return store.getUsableSpace();
  }

  private final class FileBlobWriter implements BlobWriter {
    private String key;
    private Path tmp;
    private final FileChannel channel;
    private final CountingOutput output;
    private boolean linked;
    private boolean confirmed;
    private Future<?> sync;
    private Future<Void> stagingName;

    /** @param blank whether {@code KEY.tmp} is an empty staging file whose name is durable already */
    FileBlobWriter(String key, boolean blank) throws IOException {
      this.key = key;
      this.tmp = staging.resolve(key + ".tmp");
      // One channel from first byte to fsync, which the checks read back too: no second open.
      this.channel = blank ? FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)
          : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (blank) stagingName = CompletableFuture.completedFuture(null);
      this.output = new CountingOutput(Channels.newOutputStream(channel));
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public long size() {
      return output.count;
    }

    @Override
    public long checksum() {
      return output.checksum.getValue();
    }

    @Override
    public InputStream openStaged() throws IOException {
      output.flush();
      return new PositionalInputStream(channel, output.head, output.headLength);
    }

    @Override
    public void startSync() throws IOException {
      output.flush();
      sync = SYNC.submit(() -> {
        channel.force(false); // fdatasync: the data and what reading it needs (size, blocks); names are synced apart
        return null;
      });
      // The name under which recovery finds it, also in the background (made ahead: durable already).
      if (stagingName == null) stagingName = stagingSync.request();
    }

    /**
     * Renames the staging entry to the new key (same directory, atomic). The rename is not synced: a crash
     * leaves one name or the other, and recovery, finding the old one, derives the placement again from the
     * content ({@link #restore}). The open channel and a running fsync follow the file, not the name.
     */
    @Override
    public void place(String placement) throws IOException {
      if (linked) throw new IllegalStateException("blob " + key + " is already published");
      output.dropHead(); // parsed: a batch of pending instances holds no instance bytes
      String placed = groupOf(placement) + key.substring(4);
      if (placed.equals(key)) return;
      Path renamed = staging.resolve(placed + ".tmp");
      Files.move(tmp, renamed, StandardCopyOption.ATOMIC_MOVE);
      key = placed;
      tmp = renamed;
    }

    /** Waits for the data fsync; its failure is this blob's failure. */
    private void awaitSync() throws IOException {
      if (sync == null) {
        channel.force(true);
        return;
      }
      SyncFutures.await(sync, "fsync");
    }


    /**
     * Data and staging name on disk, then the final name. The staging name must be durable first: it is what
     * recovery looks at, and a final name that survived a power loss without it would be an orphan nothing
     * finds. The final name is made durable after the commit ({@link #confirm()}).
     */
    void link() throws IOException {
      output.flush();
      awaitSync();
      SyncFutures.await(stagingName != null ? stagingName : stagingSync.request(), "fsync");
      output.close();
      linkFinal(pathOf(key), tmp);
      linked = true;
    }

    @Override
    public void confirm() {
      if (!linked) throw new IllegalStateException("blob " + key + " is not published");
      confirmed = true;
      finalNames.add(pathOf(key).getParent(), tmp);
    }

    @Override
    public void close() throws IOException {
      if (sync != null && !linked) {
        try {
          awaitSync(); // never close the channel under a running force
        } catch (IOException ignored) {
          // the blob is being discarded anyway
        }
      }
      try {
        output.close();
      } catch (IOException e) {
        if (linked) throw e;
        // A blob being discarded: bytes its last flush could not write (a full disk) are not wanted, and its
        // staging file must still go, or each failed store on a full disk leaves one until the next start.
      }
      if (confirmed) return;
      if (linked) delete(key);
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Buffered, counts bytes and takes their CRC32C, keeps a copy of the first {@link #HEAD_BYTES} until placed (the
   * header the store parses then reads them from memory, not from the file: for a 39 KB instance that spared two
   * opens and reads of the staging file, a sixth of the time from its last byte received to its header parsed),
   * idempotent close.
   */
  private static final class CountingOutput extends BufferedOutputStream {
    static final int HEAD_BYTES = 64 * 1024;
    private static final byte[] NONE = {};
    final CRC32C checksum = new CRC32C();
    long count;
    boolean closed;
    byte[] head = NONE;
    int headLength;
    boolean headDropped;

    CountingOutput(OutputStream out) {
      super(out, BUFFER);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      super.write(b);
      checksum.update(b);
      if (count < HEAD_BYTES && !headDropped) { // the single bytes of a PS3.10 header, no array for each
        grow(1);
        head[headLength++] = (byte) b;
      }
      count++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      super.write(b, off, len);
      checksum.update(b, off, len);
      keepHead(b, off, len);
      count += len;
    }

    private void keepHead(byte[] b, int off, int len) {
      int n = (int) Math.min(len, HEAD_BYTES - count);
      if (n <= 0 || headDropped) return;
      grow(n);
      System.arraycopy(b, off, head, headLength, n);
      headLength += n;
    }

    /** Room in the head for {@code n} more bytes (it never grows past {@link #HEAD_BYTES}). */
    private void grow(int n) {
      if (headLength + n > head.length) {
        head = Arrays.copyOf(head, Math.min(HEAD_BYTES, Math.max(headLength + n, 2 * head.length)));
      }
    }

    /** From now on the staged file is read from the file alone. */
    synchronized void dropHead() {
      headDropped = true;
      head = NONE;
      headLength = 0;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        super.close();
      }
    }
  }
}
