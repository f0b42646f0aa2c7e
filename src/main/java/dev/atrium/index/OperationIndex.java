package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.OPERATION;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.index.schema.tables.records.OperationRecord;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * Long-running operations (the reindex of extended query tags): their rows, and the batches a
 * reindex reads and writes. Progress is the watermark, the last instance pk done, committed with
 * each batch's values, so a restart resumes after the last batch that committed.
 */
public final class OperationIndex {
  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  public record Operation(String id, String type, String status, int percentComplete, long startWatermark,
      long watermark, long endWatermark, String failure, LocalDateTime createdAt, LocalDateTime updatedAt) {}

  /** An instance to reindex: its rows and where its bytes and metadata are. */
  public record Item(long instancePk, long seriesPk, long studyPk, StoredInstance instance) {}

  /** An item with the values read from it. */
  public record Indexed(Item item, List<ExtendedValue> values) {}

  private final Database db;
  private final ExtendedTagIndex tags;

  public OperationIndex(Database db, ExtendedTagIndex tags) {
    this.db = db;
    this.tags = tags;
  }

  public Optional<Operation> find(String id) {
    return db.dsl().selectFrom(OPERATION).where(OPERATION.OPERATION_ID.eq(id)).fetchOptional(OperationIndex::operation);
  }

  /** The oldest operation not finished (one runs at a time, in the order they were added). */
  public Optional<Operation> nextUnfinished() {
    return db.dsl().selectFrom(OPERATION)
        .where(OPERATION.OP_STATUS.in(ExtendedTagIndex.NOT_STARTED, RUNNING))
        .orderBy(OPERATION.CREATED_AT, OPERATION.OPERATION_ID).limit(1)
        .fetchOptional(OperationIndex::operation);
  }

  /** The tags an operation still adds (a tag deleted meanwhile is no longer among them). */
  public List<ExtendedTag> addingTags(String id) {
    return tags.fresh().stream().filter(t -> id.equals(t.operationId()) && t.status().equals(ExtendedTag.ADDING))
        .toList();
  }

  /** The tags an operation was started for and that still exist (its resources). */
  public List<ExtendedTag> tagsOf(String id) {
    return tags.all().stream().filter(t -> id.equals(t.operationId())).toList();
  }

  /** The next instances by pk in (after, upTo], at most {@code limit}: a range of the primary key. */
  public List<Item> batch(long after, long upTo, int limit) {
    return db.dsl()
        .select(INSTANCE.PK, SERIES.PK, STUDY.PK, STUDY.STUDY_INSTANCE_UID, SERIES.SERIES_INSTANCE_UID,
            INSTANCE.SOP_INSTANCE_UID, INSTANCE.SOP_CLASS_UID, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.BLOB_KEY,
            INSTANCE.BLOB_SIZE)
        .from(INSTANCE).join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK)).join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(INSTANCE.PK.gt(after), INSTANCE.PK.le(upTo))
        .orderBy(INSTANCE.PK).limit(limit)
        .fetch(r -> new Item(r.value1(), r.value2(), r.value3(), new StoredInstance(r.value4(), r.value5(),
            r.value6(), r.value7(), r.value8(), r.value9(), r.value10())));
  }

  /**
   * One transaction: the values of the batch's instances that still exist (locked, so a delete
   * waits rather than racing the inserts), for the tags the operation still adds, and the new
   * watermark. Re-running a batch after a crash writes nothing twice.
   */
  public void writeBatch(String id, List<Indexed> batch, long watermark, int percentComplete) {
    Transactions.withRetry(db.dsl(), tx -> {
      DSLContext dsl = tx.dsl();
      Set<Integer> adding = new HashSet<>(dsl.select(EXTENDED_QUERY_TAG.TAG_KEY).from(EXTENDED_QUERY_TAG)
          .where(EXTENDED_QUERY_TAG.OPERATION_ID.eq(id), EXTENDED_QUERY_TAG.TAG_STATUS.eq(ExtendedTag.ADDING))
          .fetch(EXTENDED_QUERY_TAG.TAG_KEY));
      Set<Long> present = new HashSet<>(dsl.select(INSTANCE.PK).from(INSTANCE)
          .where(INSTANCE.PK.in(batch.stream().map(b -> b.item().instancePk()).toList())).orderBy(INSTANCE.PK)
          .forUpdate().fetch(INSTANCE.PK));
      List<ExtendedValueWriter.Row> rows = new ArrayList<>(batch.size());
      for (Indexed indexed : batch) {
        Item item = indexed.item();
        if (!present.contains(item.instancePk())) continue;
        rows.add(new ExtendedValueWriter.Row(new ExtendedValueWriter.Keys(item.instancePk(), item.seriesPk(),
            item.studyPk()), indexed.values().stream().filter(v -> adding.contains(v.tag().key())).toList()));
      }
      ExtendedValueWriter.writeBatch(dsl, rows);
      progress(dsl, id, RUNNING, watermark, percentComplete, null);
      return null;
    });
  }

  /**
   * The reindex is done: its tags become Ready, those with errors with querying disabled (as the
   * Azure DICOM service does: results could miss instances until someone enables it).
   */
  public void complete(Operation op) {
    tags.changing(() -> Transactions.withRetry(db.dsl(), tx -> {
      DSLContext dsl = tx.dsl();
      var mine = EXTENDED_QUERY_TAG.OPERATION_ID.eq(op.id()).and(EXTENDED_QUERY_TAG.TAG_STATUS.eq(ExtendedTag.ADDING));
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      dsl.update(EXTENDED_QUERY_TAG).set(EXTENDED_QUERY_TAG.QUERY_STATUS, ExtendedTag.DISABLED)
          .set(EXTENDED_QUERY_TAG.UPDATED_AT, now).where(mine, EXTENDED_QUERY_TAG.ERROR_COUNT.gt(0)).execute();
      dsl.update(EXTENDED_QUERY_TAG).set(EXTENDED_QUERY_TAG.TAG_STATUS, ExtendedTag.READY)
          .set(EXTENDED_QUERY_TAG.UPDATED_AT, now).where(mine).execute();
      progress(dsl, op.id(), COMPLETED, op.endWatermark(), 100, null);
      return null;
    }));
  }

  /** Stopped for good; its tags stay Adding (not queryable) until deleted. */
  public void fail(String id, String reason) {
    String failure = reason == null ? "unknown failure" : reason.length() > 1024 ? reason.substring(0, 1024) : reason;
    Operation op = find(id).orElseThrow();
    progress(db.dsl(), id, FAILED, op.watermark(), op.percentComplete(), failure);
  }

  private static void progress(DSLContext dsl, String id, String status, long watermark, int percent, String failure) {
    dsl.update(OPERATION).set(OPERATION.OP_STATUS, status).set(OPERATION.WATERMARK, watermark)
        .set(OPERATION.PERCENT_COMPLETE, percent).set(OPERATION.FAILURE, failure)
        .set(OPERATION.UPDATED_AT, LocalDateTime.now(ZoneOffset.UTC))
        .where(OPERATION.OPERATION_ID.eq(id)).execute();
  }

  private static Operation operation(OperationRecord r) {
    return new Operation(r.getOperationId(), r.getOperationType(), r.getOpStatus(), r.getPercentComplete(),
        r.getStartWatermark(), r.getWatermark(), r.getEndWatermark(), r.getFailure(), r.getCreatedAt(),
        r.getUpdatedAt());
  }
}
