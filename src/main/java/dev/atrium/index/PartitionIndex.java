package dev.atrium.index;

import static dev.atrium.index.schema.Tables.DATA_PARTITION;

import java.time.LocalDateTime;
import java.util.List;

/** The data partitions that exist: rows written by {@link InstanceIndex} with a partition's first study. */
public final class PartitionIndex {
  public record Row(long key, String name, LocalDateTime created) {}

  private final Database db;

  public PartitionIndex(Database db) {
    this.db = db;
  }

  public boolean exists(String name) {
    return db.dsl().fetchExists(DATA_PARTITION, DATA_PARTITION.PARTITION_NAME.eq(name));
  }

  public List<Row> all() {
    return db.dsl().select(DATA_PARTITION.PARTITION_KEY, DATA_PARTITION.PARTITION_NAME, DATA_PARTITION.CREATED_AT)
        .from(DATA_PARTITION).orderBy(DATA_PARTITION.PARTITION_KEY)
        .fetch(r -> new Row(r.value1(), r.value2(), r.value3()));
  }
}
