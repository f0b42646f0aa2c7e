package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG_ERROR;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.OPERATION;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.dicom.DataDictionary;
import dev.atrium.index.schema.tables.records.ExtendedQueryTagRecord;
import dev.atrium.query.ExtendedAttributes;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryLevel;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The extended query tags: their rows, errors and values' removal. Every change goes through
 * here, which keeps a snapshot of the (few, at most 128) tags for the store path and the query
 * engine and drops it after each change. On a server database, which several nodes may share, the
 * store path and the reindex read the tags afresh, and the query engine's snapshot lasts a second.
 */
public final class ExtendedTagIndex implements ExtendedAttributes {
  public static final int MAX_TAGS = 128;
  public static final String REINDEX = "reindex";
  public static final String NOT_STARTED = "notStarted";
  private static final int DELETE_BATCH = 10_000;

  /** A tag to add, validated by the caller. */
  public record NewTag(int tag, String vr, String privateCreator, QueryLevel level) {}

  /** An instance whose value for a tag could not be indexed. */
  public record TagError(String partition, String studyUid, String seriesUid, String sopUid, LocalDateTime createdAt,
      String message) {}

  private record Snapshot(long version, long loadedAt, List<ExtendedTag> tags, List<QueryAttribute> ready) {}

  /** How long a snapshot serves queries when other processes may change the tags (nodes on one MariaDB). */
  private static final long SHARED_SNAPSHOT_NANOS = 1_000_000_000L;

  private final Database db;
  /** Other processes may change the tags: a server database, which several nodes may share. */
  private final boolean shared;
  private final AtomicLong version = new AtomicLong();
  /** Changes under way: until they have committed, readers go to the database, not the snapshot. */
  private final AtomicInteger changing = new AtomicInteger();
  private volatile Snapshot snapshot;

  public ExtendedTagIndex(Database db) {
    this.db = db;
    this.shared = !db.embedded();
  }

  /** All tags, in the order they were added (from the snapshot: error counts may lag). */
  public List<ExtendedTag> all() {
    return snapshot().tags();
  }

  /** Tags as they are now (error counts too), for the API. */
  public List<ExtendedTag> page(int offset, int limit) {
    return db.dsl().selectFrom(EXTENDED_QUERY_TAG).orderBy(EXTENDED_QUERY_TAG.TAG_KEY).limit(limit).offset(offset)
        .fetch(ExtendedTagIndex::tag);
  }

  /** One tag as it is now, for the API. */
  public Optional<ExtendedTag> current(int tag) {
    return db.dsl().selectFrom(EXTENDED_QUERY_TAG).where(EXTENDED_QUERY_TAG.TAG_PATH.eq(String.format("%08X", tag)))
        .fetchOptional(ExtendedTagIndex::tag);
  }

  /**
   * The tags the store indexes: Adding and Ready ones. Read from the database each time when another node may have
   * added or deleted one: an instance stored after a tag's addition committed anywhere is indexed for it (its
   * reindex covers only those stored before), and none refers to a tag deleted meanwhile.
   */
  public List<ExtendedTag> active() {
    return (shared ? load() : all()).stream().filter(ExtendedTag::active).toList();
  }

  /** The tags as the database holds them now (the reindex: another node may have added them). */
  public List<ExtendedTag> fresh() {
    return load();
  }

  @Override
  public List<QueryAttribute> readyAttributes() {
    return snapshot().ready();
  }

  @Override
  public Optional<String> notReady(String name) {
    for (ExtendedTag t : snapshot().tags()) {
      if (t.status().equals(ExtendedTag.READY)) continue;
      String keyword = DataDictionary.keyword(t.tag());
      if (name.equalsIgnoreCase(String.format("%08X", t.tag())) || name.equalsIgnoreCase(keyword)) {
        return Optional.of("is an extended query tag not queryable yet (status " + t.status()
            + (t.status().equals(ExtendedTag.ADDING) && t.operationId() != null
                ? ": its reindex, operation " + t.operationId() + ", has not completed" : "") + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * Inserts the tags (status Adding) and the reindex operation that will index the instances
   * stored so far: those up to the highest instance pk now. Run it where no store commits at the
   * same time (the index writer), so every later instance is indexed by the store instead.
   */
  public void add(List<NewTag> tags, String operationId) {
    changing(() -> Transactions.withRetry(db.dsl(), tx -> {
      DSLContext dsl = tx.dsl();
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      var bounds = dsl.select(DSL.min(INSTANCE.PK), DSL.max(INSTANCE.PK)).from(INSTANCE).fetchOne();
      long start = bounds.value1() == null ? 0 : bounds.value1() - 1;
      long end = bounds.value2() == null ? 0 : bounds.value2();
      dsl.insertInto(OPERATION)
          .set(OPERATION.OPERATION_ID, operationId).set(OPERATION.OPERATION_TYPE, REINDEX)
          .set(OPERATION.OP_STATUS, NOT_STARTED).set(OPERATION.PERCENT_COMPLETE, 0)
          .set(OPERATION.START_WATERMARK, start).set(OPERATION.WATERMARK, start).set(OPERATION.END_WATERMARK, end)
          .set(OPERATION.CREATED_AT, now).set(OPERATION.UPDATED_AT, now)
          .execute();
      for (NewTag t : tags) {
        dsl.insertInto(EXTENDED_QUERY_TAG)
            .set(EXTENDED_QUERY_TAG.TAG_PATH, String.format("%08X", t.tag())).set(EXTENDED_QUERY_TAG.TAG_VR, t.vr())
            .set(EXTENDED_QUERY_TAG.PRIVATE_CREATOR, t.privateCreator())
            .set(EXTENDED_QUERY_TAG.TAG_LEVEL, ExtendedTag.levelName(t.level()))
            .set(EXTENDED_QUERY_TAG.TAG_STATUS, ExtendedTag.ADDING)
            .set(EXTENDED_QUERY_TAG.QUERY_STATUS, ExtendedTag.ENABLED).set(EXTENDED_QUERY_TAG.ERROR_COUNT, 0)
            .set(EXTENDED_QUERY_TAG.OPERATION_ID, operationId)
            .set(EXTENDED_QUERY_TAG.CREATED_AT, now).set(EXTENDED_QUERY_TAG.UPDATED_AT, now)
            .execute();
      }
      return null;
    }));
  }

  public void setQueryStatus(int key, String queryStatus) {
    update(key, EXTENDED_QUERY_TAG.QUERY_STATUS, queryStatus);
  }

  /** The first step of a delete: the store stops indexing the tag and queries stop seeing it. */
  public void markDeleting(int key) {
    update(key, EXTENDED_QUERY_TAG.TAG_STATUS, ExtendedTag.DELETING);
  }

  /**
   * Removes a Deleting tag: its values in transactions of a bounded size (a tag may have a
   * value for every instance), then its row and errors. Safe to run again after a crash.
   */
  public void delete(ExtendedTag tag) {
    ValueTables t = ValueTables.forVr(tag.vr());
    while (true) {
      // The pk of the DELETE_BATCH-th value row bounds one transaction (DELETE … LIMIT is not portable).
      Long bound = db.dsl().select(t.levelPk()).from(t.table()).where(t.tagKey().eq(tag.key()))
          .orderBy(t.levelPk()).limit(1).offset(DELETE_BATCH - 1).fetchOne(t.levelPk());
      var rows = t.tagKey().eq(tag.key());
      int deleted = db.dsl().deleteFrom(t.table()).where(bound == null ? rows : rows.and(t.levelPk().le(bound)))
          .execute();
      if (bound == null || deleted == 0) break;
    }
    changing(() -> db.dsl().deleteFrom(EXTENDED_QUERY_TAG).where(EXTENDED_QUERY_TAG.TAG_KEY.eq(tag.key())).execute());
  }

  /** Errors of a tag, oldest first, with the UIDs of their instances. */
  public List<TagError> errors(int key, int offset, int limit) {
    return db.dsl()
        .select(INSTANCE.PARTITION_NAME, STUDY.STUDY_INSTANCE_UID, SERIES.SERIES_INSTANCE_UID, INSTANCE.SOP_INSTANCE_UID,
            EXTENDED_QUERY_TAG_ERROR.CREATED_AT, EXTENDED_QUERY_TAG_ERROR.ERROR_MESSAGE)
        .from(EXTENDED_QUERY_TAG_ERROR)
        .join(INSTANCE).on(INSTANCE.PK.eq(EXTENDED_QUERY_TAG_ERROR.INSTANCE_PK))
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK))
        .join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(EXTENDED_QUERY_TAG_ERROR.TAG_KEY.eq(key))
        .orderBy(EXTENDED_QUERY_TAG_ERROR.PK).limit(limit).offset(offset)
        .fetch(r -> new TagError(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
  }

  /**
   * Runs a change of the tag rows (its own transaction, or one made elsewhere in the index: a
   * reindex completing). From its start until after it has committed, readers bypass the
   * snapshot: a client that saw the commit (an operation reported completed) must not then get
   * a snapshot from before it.
   */
  <T> T changing(Supplier<T> change) {
    changing.incrementAndGet();
    try {
      return change.get();
    } finally {
      version.incrementAndGet(); // before the decrement: whoever sees no change under way sees the new version
      changing.decrementAndGet();
    }
  }

  private <T> void update(int key, org.jooq.TableField<ExtendedQueryTagRecord, T> field, T value) {
    changing(() -> db.dsl().update(EXTENDED_QUERY_TAG).set(field, value)
        .set(EXTENDED_QUERY_TAG.UPDATED_AT, LocalDateTime.now(ZoneOffset.UTC))
        .where(EXTENDED_QUERY_TAG.TAG_KEY.eq(key)).execute());
  }

  /**
   * A snapshot loaded while a change was committing is not kept, or is kept with the version
   * from before the change, so the next call loads again.
   */
  private Snapshot snapshot() {
    long wanted = version.get();
    boolean quiet = changing.get() == 0;
    Snapshot current = snapshot;
    long now = System.nanoTime();
    if (quiet && current != null && current.version() == wanted
        && (!shared || now - current.loadedAt() < SHARED_SNAPSHOT_NANOS)) {
      return current;
    }
    List<ExtendedTag> tags = load();
    List<QueryAttribute> ready = tags.stream().filter(t -> t.status().equals(ExtendedTag.READY))
        .map(ExtendedTagIndex::attribute).toList();
    current = new Snapshot(wanted, now, tags, ready);
    if (quiet) snapshot = current;
    return current;
  }

  private List<ExtendedTag> load() {
    return db.dsl().selectFrom(EXTENDED_QUERY_TAG).orderBy(EXTENDED_QUERY_TAG.TAG_KEY).fetch(ExtendedTagIndex::tag);
  }

  private static ExtendedTag tag(ExtendedQueryTagRecord r) {
    return new ExtendedTag(r.getTagKey(), (int) Long.parseLong(r.getTagPath(), 16), r.getTagVr(), r.getPrivateCreator(),
        ExtendedTag.level(r.getTagLevel()), r.getTagStatus(), r.getQueryStatus(), r.getErrorCount(),
        r.getOperationId(), r.getCreatedAt());
  }

  /** A ready tag as the query engine sees it; a private tag is named by its path. */
  private static QueryAttribute attribute(ExtendedTag t) {
    String keyword = t.privateCreator() != null ? t.path()
        : DataDictionary.byTag(t.tag()).map(DataDictionary.Element::keyword).orElse(t.path());
    return new QueryAttribute(t.tag(), keyword, t.vr(), t.level(), true, new QueryAttribute.Extension(t.key(),
        t.privateCreator(), t.queryStatus().equals(ExtendedTag.ENABLED), t.errorCount() > 0));
  }
}
