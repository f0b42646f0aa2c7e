package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the final names of committed blobs durable after the acknowledgement, and only then removes their staging
 * entries. Until then the durable staging entry (data fsynced, staging directory fsynced) is what a power loss
 * cannot take: recovery links a committed blob's lost final name again from it ({@link FileSystemBlobStore#restore}).
 * One fsync then covers every blob of a directory (a study) committed within {@link #DELAY_MILLIS}, instead of
 * one fsync per store on the acknowledgement's path.
 */
final class DeferredNameSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeferredNameSync.class);
  private static final long DELAY_MILLIS = 100;

  /** A committed blob: its final directory, and the staging entry to remove once that directory is synced. */
  private record Confirmed(Path directory, Path stagingEntry) {}

  private final SharedDirectorySync.DirectorySync directorySync;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "blob-names");
    t.setDaemon(true);
    return t;
  });
  private List<Confirmed> pending = new ArrayList<>();

  DeferredNameSync(SharedDirectorySync.DirectorySync directorySync) {
    this.directorySync = directorySync;
  }

  void add(Path directory, Path stagingEntry) {
    boolean first;
    synchronized (this) {
      first = pending.isEmpty();
      pending.add(new Confirmed(directory, stagingEntry));
    }
    if (!first) return;
    try {
      timer.schedule(this::flushQuietly, DELAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the staging entry stays, and the next start's recovery decides it
    }
  }

  /**
   * Syncs the directories of what is pending now, then removes those staging entries. A failed sync keeps them:
   * the next start's recovery decides them.
   */
  void flush() throws IOException {
    List<Confirmed> batch;
    synchronized (this) {
      batch = pending;
      pending = new ArrayList<>();
    }
    if (batch.isEmpty()) return;
    Set<Path> directories = new LinkedHashSet<>();
    for (Confirmed c : batch) directories.add(c.directory());
    for (Path directory : directories) directorySync.force(directory);
    // Losing these unlinks in a crash is harmless: recovery finds the keys committed and their names on disk.
    for (Confirmed c : batch) Files.deleteIfExists(c.stagingEntry());
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException | RuntimeException e) {
      log.warn("blob store: syncing final names failed; their staging entries stay for recovery: {}", e.toString());
    }
  }

  /** Flushes what is pending; later additions are refused by the stopped timer. */
  @Override
  public void close() throws IOException {
    timer.shutdown();
    flush();
  }
}
