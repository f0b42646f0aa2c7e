package dev.atrium.index;

import static dev.atrium.index.schema.Tables.BLOB_GARBAGE;

import java.util.List;

/** Blobs the index no longer references, queued in the transaction that dropped them. */
public final class BlobGarbage {
  public record Entry(long id, String blobKey) {}

  private final Database db;

  public BlobGarbage(Database db) {
    this.db = db;
  }

  public List<Entry> oldest(int limit) {
    return db.dsl().select(BLOB_GARBAGE.PK, BLOB_GARBAGE.BLOB_KEY).from(BLOB_GARBAGE)
        .orderBy(BLOB_GARBAGE.PK).limit(limit)
        .fetch(r -> new Entry(r.value1(), r.value2()));
  }

  public void forget(long id) {
    db.dsl().deleteFrom(BLOB_GARBAGE).where(BLOB_GARBAGE.PK.eq(id)).execute();
  }
}
