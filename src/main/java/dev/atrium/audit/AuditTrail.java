package dev.atrium.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail (PS3.15 A.5, IHE ATNA). {@link #record} only enqueues, so auditing never
 * blocks or slows a request; one writer thread appends the messages to a local append-only file
 * (one message per line, fsynced at most twice a second; closed and succeeded by a new one at a size:
 * {@link AuditAppender}), which is also the spool a {@link SyslogForwarder}
 * sends from, at its own pace, resuming where it stopped: a slow or absent collector loses
 * nothing and delays nothing.
 */
public final class AuditTrail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  /** Disabled auditing: records go nowhere. */
  public static final AuditTrail NONE = new AuditTrail();
  private static final long FORCE_INTERVAL_NANOS = 500_000_000L;
  /** Records waiting while the file cannot be written (a full disk): about 200 MB of heap at most. */
  static final int MAX_QUEUED = 100_000;
  private static final long CLOSE_WAIT_MILLIS = 10_000;

  private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final AtomicLong dropped = new AtomicLong();
  private final String sourceId;
  private final String host;
  private final Path file;
  private final AuditAppender appender;
  private final Thread writer;
  private final SyslogForwarder forwarder;
  private final AuditPatients patients;
  private volatile boolean closing;
  /** Set when close() stops waiting for a writer that cannot write: what is queued is lost. */
  private volatile boolean abandoned;
  private long lastForce;

  private AuditTrail() {
    sourceId = host = null;
    file = null;
    appender = null;
    writer = null;
    forwarder = null;
    patients = AuditPatients.NONE;
  }

  /** {@code syslog} null: the local file only. {@code patients} names the patient of each study recorded. */
  public AuditTrail(Path directory, String sourceId, String host, SyslogForwarder.Target syslog,
      AuditPatients patients) throws IOException {
    this(directory, sourceId, host, syslog, patients, 0, 0);
  }

  /**
   * As above, the live file closed once it would pass {@code closeAtBytes} (0: never) and only the newest
   * {@code keepClosed} closed files kept (0: all): {@link AuditAppender}.
   */
  public AuditTrail(Path directory, String sourceId, String host, SyslogForwarder.Target syslog,
      AuditPatients patients, long closeAtBytes, int keepClosed) throws IOException {
    this.sourceId = sourceId;
    this.patients = new CachedAuditPatients(patients);
    this.host = host;
    AuditFiles files = new AuditFiles(directory);
    this.file = files.live();
    Path position = directory.resolve("syslog.offset");
    this.appender = new AuditAppender(files, closeAtBytes, keepClosed, syslog == null ? null : position);
    this.forwarder = syslog == null ? null : new SyslogForwarder(files, position, syslog, host);
    this.writer = new Thread(this::writeLoop, "audit-writer");
    writer.setDaemon(true);
    writer.start();
    if (forwarder != null) forwarder.start();
  }

  public Path file() {
    return file;
  }

  public void record(AuditEvent event) {
    if (this != NONE && !closing && !queue.offer(event)) dropped.incrementAndGet();
  }

  private void writeLoop() {
    List<AuditEvent> batch = new ArrayList<>();
    while (!abandoned && (!closing || !queue.isEmpty())) {
      try {
        AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, 999);
        StringBuilder lines = new StringBuilder();
        for (AuditEvent event : batch) {
          lines.append(AuditXml.write(event, patientsOf(event), sourceId, host)).append('\n');
        }
        // At most a few fsyncs a second: each one is a journal commit that the store's own
        // fsyncs would queue behind (a crash can cost the last FORCE_INTERVAL_MS of records).
        long now = System.nanoTime();
        boolean force = now - lastForce >= FORCE_INTERVAL_NANOS || closing;
        appender.append(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)), force);
        if (force) lastForce = now;
        batch.clear();
        reportDropped();
        if (forwarder != null) forwarder.wake();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        // Keep the batch and try again: a full disk must not drop audit records (the appender cut what part of it
        // was written, or the retry would repeat the records before it).
        log.error("audit trail: cannot write {} records to {}: {}", batch.size(), file, e.toString());
        if (abandoned) return;
        for (AuditEvent event : batch) {
          if (!queue.offer(event)) dropped.incrementAndGet();
        }
        batch.clear();
        sleepQuietly();
      }
    }
  }

  /** The patients of the studies an instance event names (none for queries, logins and alerts). */
  private List<AuditPatients.Patient> patientsOf(AuditEvent event) {
    if (!event.kind().namesPatients() || event.partition() == null) return event.patients();
    List<AuditPatients.Patient> found = new ArrayList<>(event.patients());
    for (String study : event.studyUids()) {
      AuditPatients.Patient patient = patients.of(event.partition(), study);
      if (patient != null && !found.contains(patient)) found.add(patient);
    }
    return found;
  }

  private void reportDropped() {
    long n = dropped.getAndSet(0);
    if (n > 0) log.error("audit trail: {} records were lost: more than {} waited for {} to be writable", n,
        MAX_QUEUED, file);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes what is queued, then stops; the forwarder sends the rest at the next start. A writer that cannot write
   * (a full disk) is given {@link #CLOSE_WAIT_MILLIS}, then stopped, and what it still held is reported lost.
   */
  @Override
  public void close() throws IOException {
    if (this == NONE || closing) return;
    closing = true;
    try {
      writer.join(CLOSE_WAIT_MILLIS);
      if (writer.isAlive()) {
        abandoned = true;
        writer.interrupt();
        writer.join(CLOSE_WAIT_MILLIS);
        log.error("audit trail: stopped with {} records that could not be written to {}: they are lost",
            queue.size() + dropped.get(), file);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (forwarder != null) forwarder.close();
    appender.close();
  }
}
