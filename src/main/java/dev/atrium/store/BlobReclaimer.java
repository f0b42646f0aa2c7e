package dev.atrium.store;

import dev.atrium.index.BlobGarbage;
import dev.atrium.index.InstanceLocator;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the blob store and the index in step: at startup it settles what a crash left in
 * flight, and afterwards removes blobs the index queued as garbage (overwritten, later deleted
 * instances) only once the transaction that dropped them has committed.
 */
public final class BlobReclaimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlobReclaimer.class);
  private static final int BATCH = 500;

  private final BlobStore blobs;
  private final BlobGarbage garbage;
  private final InstanceLocator locator;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "blob-reclaimer");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();

  public BlobReclaimer(BlobStore blobs, BlobGarbage garbage, InstanceLocator locator) {
    this.blobs = blobs;
    this.garbage = garbage;
    this.locator = locator;
  }

  /** First thing at startup: final names of committed blobs that a power loss took come back from staging. */
  public void restoreAfterCrash() throws IOException {
    int restored = blobs.restore(BlobPlacement.FROM_CONTENT);
    if (restored > 0) {
      log.info("recovery: linked {} staged blob(s) to their missing final names (those never committed go next)",
          restored);
    }
  }

  /** Before any client is served: settle in-flight blobs, then empty the garbage queue. */
  public void recoverAfterCrash() throws IOException {
    int removed = blobs.recover(locator::referencesBlob);
    if (removed > 0) log.warn("recovery: removed {} blob(s) written but never committed to the index", removed);
    reclaimNow();
  }

  public void reclaimSoon() {
    if (scheduled.compareAndSet(false, true)) {
      worker.schedule(() -> {
        scheduled.set(false);
        reclaimNow();
      }, 200, TimeUnit.MILLISECONDS);
    }
  }

  void reclaimNow() {
    try {
      List<BlobGarbage.Entry> batch;
      do {
        batch = garbage.oldest(BATCH);
        for (BlobGarbage.Entry entry : batch) {
          blobs.delete(entry.blobKey());
          garbage.forget(entry.id());
        }
      } while (batch.size() == BATCH);
    } catch (IOException | RuntimeException e) {
      log.error("reclaiming unreferenced blobs failed; will retry", e);
      reclaimSoon();
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
