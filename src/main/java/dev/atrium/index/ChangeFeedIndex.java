package dev.atrium.index;

import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.COUNTER;
import static dev.atrium.index.schema.Tables.INSTANCE;

import java.time.LocalDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Record12;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/** Reads the change feed: rows in sequence order, which is commit order (see InstanceIndex). */
public final class ChangeFeedIndex {
  /** One change, in its partition; {@code current} is where the instance's bytes are now, when it still exists. */
  public record Row(String partition, long sequence, String studyUid, String seriesUid, String sopUid, String action,
      String state, LocalDateTime timestamp, StoredInstance current) {}

  private final Database db;

  public ChangeFeedIndex(Database db) {
    this.db = db;
  }

  /**
   * Changes of a partition (of every partition when it is null) with a sequence above {@code afterSequence}, inside
   * [start, end) when given, skipping {@code skip} of them, at most {@code limit}.
   */
  public List<Row> page(String partitionOrNull, long afterSequence, LocalDateTime start, LocalDateTime end, int skip,
      int limit) {
    Condition where = CHANGE_FEED.SEQ.gt(afterSequence);
    if (partitionOrNull != null) where = where.and(CHANGE_FEED.PARTITION_NAME.eq(partitionOrNull));
    if (start != null) where = where.and(CHANGE_FEED.CREATED_AT.ge(start));
    if (end != null) where = where.and(CHANGE_FEED.CREATED_AT.lt(end));
    if (skip > 0) {
      // Find where the page starts on the (partition, seq) or seq index alone, then join only the page:
      // an OFFSET over the join would look up every skipped row's instance.
      Long first = db.dsl().select(CHANGE_FEED.SEQ).from(CHANGE_FEED).where(where).orderBy(CHANGE_FEED.SEQ)
          .limit(1).offset(skip).fetchOne(0, Long.class);
      if (first == null) return List.of();
      where = where.and(CHANGE_FEED.SEQ.ge(first));
    }
    return select(where, limit).fetch(r -> row(r));
  }

  /**
   * At startup, before anything is stored: moves the change-feed counter past the highest sequence if it is not
   * already; returns whether it had to. Embedded H2 was seen to come back from a SIGKILL with the last
   * transaction's change-feed row but without its counter update (its other rows all there), after which every
   * store collided with that row (CrashRecoveryTest, once in a few runs).
   */
  public boolean alignCounter() {
    long last = lastSequence();
    return db.dsl().update(COUNTER).set(COUNTER.NEXT_VALUE, last + 1)
        .where(COUNTER.NAME.eq("change_feed"), COUNTER.NEXT_VALUE.le(last)).execute() > 0;
  }

  /** The highest sequence of any partition, 0 when the feed is empty. */
  public long lastSequence() {
    Long max = db.dsl().select(DSL.max(CHANGE_FEED.SEQ)).from(CHANGE_FEED).fetchOne(0, Long.class);
    return max == null ? 0 : max;
  }

  private ResultQuery<Record12<Long, String, String, String, String, String, LocalDateTime, String, String, String,
      Long, String>> select(Condition where, int limit) {
    return db.dsl()
        .select(CHANGE_FEED.SEQ, CHANGE_FEED.STUDY_INSTANCE_UID, CHANGE_FEED.SERIES_INSTANCE_UID,
            CHANGE_FEED.SOP_INSTANCE_UID, CHANGE_FEED.ACTION, CHANGE_FEED.STATE, CHANGE_FEED.CREATED_AT,
            INSTANCE.SOP_CLASS_UID, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE,
            CHANGE_FEED.PARTITION_NAME)
        .from(CHANGE_FEED)
        .leftJoin(INSTANCE).on(INSTANCE.PARTITION_NAME.eq(CHANGE_FEED.PARTITION_NAME),
            INSTANCE.SOP_INSTANCE_UID.eq(CHANGE_FEED.SOP_INSTANCE_UID), CHANGE_FEED.STATE.eq("current"))
        .where(where)
        .orderBy(CHANGE_FEED.SEQ)
        .limit(limit);
  }

  private static Row row(Record12<Long, String, String, String, String, String, LocalDateTime, String, String,
      String, Long, String> r) {
    return new Row(r.value12(), r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(),
        r.value10() == null ? null : new StoredInstance(r.value2(), r.value3(), r.value4(), r.value8(),
            r.value9(), r.value10(), r.value11()));
  }

  /** The newest change of a partition (of any partition when it is null), if any. */
  public List<Row> latest(String partitionOrNull) {
    Long max = partitionOrNull == null ? lastSequence() : db.dsl().select(DSL.max(CHANGE_FEED.SEQ)).from(CHANGE_FEED)
        .where(CHANGE_FEED.PARTITION_NAME.eq(partitionOrNull)).fetchOne(0, Long.class);
    return max == null || max == 0 ? List.of() : page(partitionOrNull, max - 1, null, null, 0, 1);
  }
}
