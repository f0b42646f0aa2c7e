package dev.atrium.health;

import dev.atrium.index.Database;
import dev.atrium.storage.BlobStore;

/** Whether the archive can serve: the index answers and the store accepts writes. */
public final class HealthCheck {
  public record Result(String index, String store) {
    public boolean healthy() {
      return index.equals("UP") && store.equals("UP");
    }
  }

  private final Database db;
  private final BlobStore blobs;

  public HealthCheck(Database db, BlobStore blobs) {
    this.db = db;
    this.blobs = blobs;
  }

  public Result check() {
    return new Result(probe(db::checkUsable), probe(blobs::checkWritable));
  }

  private interface Probe {
    void run() throws Exception;
  }

  private static String probe(Probe probe) {
    try {
      probe.run();
      return "UP";
    } catch (Exception e) {
      return "DOWN: " + e.getMessage();
    }
  }
}
