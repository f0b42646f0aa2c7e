package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG_ERROR;

import dev.atrium.query.QueryLevel;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Writes extended query tag values inside the caller's transaction: one instance's (the store's)
 * or a reindex batch's. A value belongs to the row of its tag's level; for study and series
 * tags the value of the latest instance (highest pk) wins, whichever writer comes last. An
 * invalid value becomes an error row of the tag (counted on the tag), never a failed store.
 */
final class ExtendedValueWriter {
  /** The rows an instance belongs to. */
  record Keys(long instancePk, long seriesPk, long studyPk) {}

  private ExtendedValueWriter() {}

  /**
   * At store time, in the store's transaction: what the instance holds now. A replaced instance
   * (overwrite policy) also drops what its earlier version left: its value and its error.
   */
  static void write(DSLContext dsl, Keys keys, List<ExtendedValue> values, boolean replaced) {
    for (ExtendedValue v : values) {
      ExtendedTag tag = v.tag();
      if (v instanceof ExtendedValue.Of of) {
        if (!replaced && tag.level() == QueryLevel.INSTANCE) insert(dsl, tag, keys, of.value()); // a new row's own
        else if (replaced) overwrite(dsl, tag, keys, of.value()); // a correction wins, as for standard attributes
        else upsert(dsl, tag, keys, of.value(), true);
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

  /** One instance of a reindex batch and the values read from it. */
  record Row(Keys keys, List<ExtendedValue> values) {}

  /**
   * A reindex batch in a few statements per tag: the rows that exist already are read at once,
   * the missing ones inserted in one multi-row INSERT (a store inserting one meanwhile makes it
   * fail on the key, and the transaction is retried); only a value of a later instance than the
   * stored one updates a row, by itself and locked. Errors are rare and go one by one.
   */
  static void writeBatch(DSLContext dsl, List<Row> rows) {
    Map<ExtendedTag, Map<Long, Candidate>> byTag = new LinkedHashMap<>();
    for (Row row : rows) {
      for (ExtendedValue v : row.values()) {
        if (v instanceof ExtendedValue.Of of) {
          Candidate c = new Candidate(row.keys(), of.value());
          // the latest instance of a study or series in the batch gives its value (pk order)
          byTag.computeIfAbsent(v.tag(), t -> new LinkedHashMap<>()).put(levelPk(v.tag().level(), row.keys()), c);
        } else if (v instanceof ExtendedValue.Invalid invalid) {
          recordError(dsl, v.tag(), row.keys().instancePk(), invalid.reason());
        }
      }
    }
    for (Map.Entry<ExtendedTag, Map<Long, Candidate>> entry : byTag.entrySet()) {
      ExtendedTag tag = entry.getKey();
      ValueTables t = ValueTables.forVr(tag.vr());
      Map<Long, Candidate> candidates = entry.getValue();
      Map<Long, Long> existing = new HashMap<>();
      dsl.select(t.levelPk(), t.sourcePk()).from(t.table())
          .where(t.tagKey().eq(tag.key()), t.levelPk().in(candidates.keySet()),
              // the range keeps H2 on the primary key; an IN list alone on its second column scans the tag's rows
              t.levelPk().between(Collections.min(candidates.keySet()), Collections.max(candidates.keySet())))
          .fetch().forEach(r -> existing.put(r.value1(), r.value2()));
      List<Field<?>> columns = new ArrayList<>(List.of(t.tagKey(), t.levelPk(), t.studyPk(), t.seriesPk(),
          t.instancePk(), t.sourcePk(), t.value()));
      if (t.norm() != null) columns.add(t.norm());
      var insert = dsl.insertInto(t.table()).columns(columns);
      boolean inserting = false;
      for (Map.Entry<Long, Candidate> c : candidates.entrySet()) {
        Keys keys = c.getValue().keys();
        Long source = existing.get(c.getKey());
        if (source == null) {
          Object value = stored(tag, c.getValue().value());
          List<Object> row = new ArrayList<>(Arrays.asList(tag.key(), c.getKey(), keys.studyPk(),
              tag.level() == QueryLevel.STUDY ? null : keys.seriesPk(),
              tag.level() == QueryLevel.INSTANCE ? keys.instancePk() : null, keys.instancePk(), value));
          if (t.norm() != null) row.add(InstanceIndex.normalizeName((String) value));
          insert = insert.values(row);
          inserting = true;
        } else if (source < keys.instancePk()) {
          upsert(dsl, tag, keys, c.getValue().value(), false);
        }
      }
      if (inserting) insert.execute();
    }
  }

  private record Candidate(Keys keys, Object value) {}

  private static Object stored(ExtendedTag tag, Object value) {
    return tag.vr().equals("PN") ? truncate((String) value) : value;
  }

  /** {@code sameSource}: a store replaces the value its own instance wrote before; a reindex does not. */
  private static void upsert(DSLContext dsl, ExtendedTag tag, Keys keys, Object value, boolean sameSource) {
    ValueTables t = ValueTables.forVr(tag.vr());
    long levelPk = levelPk(tag.level(), keys);
    Long source = dsl.select(t.sourcePk()).from(t.table()).where(t.tagKey().eq(tag.key()), t.levelPk().eq(levelPk))
        .forUpdate().fetchOne(t.sourcePk());
    Object stored = stored(tag, value);
    if (source == null) {
      insert(dsl, tag, keys, value);
    } else if (source < keys.instancePk() || (source == keys.instancePk() && sameSource)) {
      update(dsl, t, tag, keys, stored);
    }
  }

  /** This instance's value, whichever instance gave the one there now. */
  private static void overwrite(DSLContext dsl, ExtendedTag tag, Keys keys, Object value) {
    if (update(dsl, ValueTables.forVr(tag.vr()), tag, keys, stored(tag, value)) == 0) insert(dsl, tag, keys, value);
  }

  /** Sets the tag's value at the instance's level to {@code stored}, as given by the instance; rows updated. */
  private static int update(DSLContext dsl, ValueTables t, ExtendedTag tag, Keys keys, Object stored) {
    var update = dsl.update(t.table()).set(t.sourcePk(), keys.instancePk()).set(t.value(), stored);
    return (t.norm() == null ? update : update.set(t.norm(), InstanceIndex.normalizeName((String) stored)))
        .where(t.tagKey().eq(tag.key()), t.levelPk().eq(levelPk(tag.level(), keys))).execute();
  }

  private static void insert(DSLContext dsl, ExtendedTag tag, Keys keys, Object value) {
    ValueTables t = ValueTables.forVr(tag.vr());
    Object stored = stored(tag, value);
    var insert = dsl.insertInto(t.table())
        .set(t.tagKey(), tag.key()).set(t.levelPk(), levelPk(tag.level(), keys)).set(t.studyPk(), keys.studyPk())
        .set(t.seriesPk(), tag.level() == QueryLevel.STUDY ? null : keys.seriesPk())
        .set(t.instancePk(), tag.level() == QueryLevel.INSTANCE ? keys.instancePk() : null)
        .set(t.sourcePk(), keys.instancePk()).set(t.value(), stored);
    (t.norm() == null ? insert : insert.set(t.norm(), InstanceIndex.normalizeName((String) stored))).execute();
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
