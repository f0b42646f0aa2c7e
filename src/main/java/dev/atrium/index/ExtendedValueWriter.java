package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG_ERROR;

import dev.atrium.query.QueryLevel;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Writes one instance's extended query tag values inside the caller's transaction (the store's
 * or a reindex batch's). A value belongs to the row of its tag's level; for study and series
 * tags the value of the latest instance (highest pk) wins, whichever writer comes last. An
 * invalid value becomes an error row of the tag (counted on the tag), never a failed store.
 */
final class ExtendedValueWriter {
  /** The rows an instance belongs to. */
  record Keys(long instancePk, long seriesPk, long studyPk) {}

  private ExtendedValueWriter() {}

  /**
   * Who writes. The store writes what the instance holds now: a replaced instance (overwrite
   * policy) also drops what its earlier version left. A reindex only fills in what is missing.
   */
  enum Mode { NEW_INSTANCE, REPLACED_INSTANCE, REINDEX }

  static void write(DSLContext dsl, Keys keys, List<ExtendedValue> values, Mode mode) {
    boolean replaced = mode == Mode.REPLACED_INSTANCE;
    for (ExtendedValue v : values) {
      ExtendedTag tag = v.tag();
      if (v instanceof ExtendedValue.Of of) {
        upsert(dsl, tag, keys, of.value(), mode != Mode.REINDEX);
        if (replaced) clearError(dsl, tag, keys.instancePk());
      } else if (v instanceof ExtendedValue.Invalid invalid) {
        recordError(dsl, tag, keys.instancePk(), invalid.reason());
        if (replaced) deleteInstanceValue(dsl, tag, keys);
      } else if (replaced) {
        deleteInstanceValue(dsl, tag, keys);
        clearError(dsl, tag, keys.instancePk());
      }
    }
  }

  private static void upsert(DSLContext dsl, ExtendedTag tag, Keys keys, Object value, boolean fromStore) {
    ValueTables t = ValueTables.forVr(tag.vr());
    long levelPk = levelPk(tag.level(), keys);
    Long source = dsl.select(t.sourcePk()).from(t.table()).where(t.tagKey().eq(tag.key()), t.levelPk().eq(levelPk))
        .forUpdate().fetchOne(t.sourcePk());
    Object stored = tag.vr().equals("PN") ? truncate((String) value) : value;
    if (source == null) {
      var insert = dsl.insertInto(t.table())
          .set(t.tagKey(), tag.key()).set(t.levelPk(), levelPk).set(t.studyPk(), keys.studyPk())
          .set(t.seriesPk(), tag.level() == QueryLevel.STUDY ? null : keys.seriesPk())
          .set(t.instancePk(), tag.level() == QueryLevel.INSTANCE ? keys.instancePk() : null)
          .set(t.sourcePk(), keys.instancePk()).set(t.value(), stored);
      (t.norm() == null ? insert : insert.set(t.norm(), InstanceIndex.normalizeName((String) stored))).execute();
    } else if (source < keys.instancePk() || (source == keys.instancePk() && fromStore)) {
      var update = dsl.update(t.table()).set(t.sourcePk(), keys.instancePk()).set(t.value(), stored);
      (t.norm() == null ? update : update.set(t.norm(), InstanceIndex.normalizeName((String) stored)))
          .where(t.tagKey().eq(tag.key()), t.levelPk().eq(levelPk)).execute();
    }
  }

  /** Only an instance-level value is the instance's alone; study and series values stay. */
  private static void deleteInstanceValue(DSLContext dsl, ExtendedTag tag, Keys keys) {
    if (tag.level() != QueryLevel.INSTANCE) return;
    ValueTables t = ValueTables.forVr(tag.vr());
    dsl.deleteFrom(t.table()).where(t.tagKey().eq(tag.key()), t.levelPk().eq(keys.instancePk())).execute();
  }

  private static void recordError(DSLContext dsl, ExtendedTag tag, long instancePk, String reason) {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    String message = reason.length() > 512 ? reason.substring(0, 511) + "…" : reason;
    int updated = dsl.update(EXTENDED_QUERY_TAG_ERROR).set(EXTENDED_QUERY_TAG_ERROR.ERROR_MESSAGE, message)
        .where(EXTENDED_QUERY_TAG_ERROR.TAG_KEY.eq(tag.key()), EXTENDED_QUERY_TAG_ERROR.INSTANCE_PK.eq(instancePk))
        .execute();
    if (updated > 0) return;
    dsl.insertInto(EXTENDED_QUERY_TAG_ERROR)
        .set(EXTENDED_QUERY_TAG_ERROR.TAG_KEY, tag.key()).set(EXTENDED_QUERY_TAG_ERROR.INSTANCE_PK, instancePk)
        .set(EXTENDED_QUERY_TAG_ERROR.ERROR_MESSAGE, message).set(EXTENDED_QUERY_TAG_ERROR.CREATED_AT, now)
        .execute();
    countErrors(dsl, tag.key(), 1);
  }

  private static void clearError(DSLContext dsl, ExtendedTag tag, long instancePk) {
    int deleted = dsl.deleteFrom(EXTENDED_QUERY_TAG_ERROR)
        .where(EXTENDED_QUERY_TAG_ERROR.TAG_KEY.eq(tag.key()), EXTENDED_QUERY_TAG_ERROR.INSTANCE_PK.eq(instancePk))
        .execute();
    if (deleted > 0) countErrors(dsl, tag.key(), -deleted);
  }

  /**
   * Before instances are deleted: their error rows go with them (cascade), so the error counts
   * of their tags drop by as many. Their values go by cascade too.
   */
  static void forgetErrors(DSLContext dsl, List<Long> instancePks) {
    var count = DSL.count();
    for (var row : dsl.select(EXTENDED_QUERY_TAG_ERROR.TAG_KEY, count).from(EXTENDED_QUERY_TAG_ERROR)
        .where(EXTENDED_QUERY_TAG_ERROR.INSTANCE_PK.in(instancePks)).groupBy(EXTENDED_QUERY_TAG_ERROR.TAG_KEY).fetch()) {
      countErrors(dsl, row.value1(), -row.value2());
    }
  }

  private static void countErrors(DSLContext dsl, int tagKey, int delta) {
    dsl.update(EXTENDED_QUERY_TAG).set(EXTENDED_QUERY_TAG.ERROR_COUNT, EXTENDED_QUERY_TAG.ERROR_COUNT.plus(delta))
        .where(EXTENDED_QUERY_TAG.TAG_KEY.eq(tagKey)).execute();
  }

  private static long levelPk(QueryLevel level, Keys keys) {
    return switch (level) {
      case STUDY, PATIENT -> keys.studyPk();
      case SERIES -> keys.seriesPk();
      case INSTANCE -> keys.instancePk();
    };
  }

  private static String truncate(String value) {
    return value.length() <= 400 ? value : value.substring(0, 400);
  }
}
