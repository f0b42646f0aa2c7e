package dev.atrium.health;

import dev.atrium.index.Database;
import dev.atrium.storage.BlobStore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the archive can serve: the index answers and the store accepts writes. Each probe
 * has a time limit: an index that hangs (locked, network partition) is down, and a health
 * check that hangs would tell a load balancer nothing.
 */
public final class HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);
  private static final long PROBE_SECONDS = 3;

  public record Result(String index, String store) {
    public boolean healthy() {
      return index.equals("UP") && store.equals("UP");
    }
  }

  private final Database db;
  private final BlobStore blobs;
  private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "health-probe");
    t.setDaemon(true);
    return t;
  });

  public HealthCheck(Database db, BlobStore blobs) {
    this.db = db;
    this.blobs = blobs;
  }

  private Future<String> index;
  private Future<String> store;

  /** A probe still stuck from an earlier call is reported, not joined by another one. */
  public synchronized Result check() {
    if (index == null || index.isDone()) index = probes.submit(() -> probe("index", db::checkUsable));
    if (store == null || store.isDone()) store = probes.submit(() -> probe("store", blobs::checkWritable));
    return new Result(await(index), await(store));
  }

  private interface Probe {
    void run() throws Exception;
  }

  /**
   * "UP", or "DOWN:" and the kind of failure. The details (file paths, database URLs) go to the log, not to this
   * unauthenticated endpoint.
   */
  private static String probe(String what, Probe probe) {
    try {
      probe.run();
      return "UP";
    } catch (Exception e) {
      log.warn("health: the {} is down: {}", what, e.toString());
      // A file system's reason names no path ("No space left on device", "Read-only file system").
      String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
          : e.getClass().getSimpleName();
      return "DOWN: " + reason + " (see the archive's log)";
    }
  }

  private static String await(Future<String> probe) {
    try {
      return probe.get(PROBE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return "DOWN: no answer within " + PROBE_SECONDS + " s";
    } catch (ExecutionException e) {
      return "DOWN: " + e.getCause().getClass().getSimpleName() + " (see the archive's log)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "DOWN: interrupted";
    }
  }
}
