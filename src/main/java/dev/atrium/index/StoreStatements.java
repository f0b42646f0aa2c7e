package dev.atrium.index;

import static dev.atrium.index.RenderedSql.param;
import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.COUNTER;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The statements every stored instance of a known series runs (duplicate check, parents, instance
 * row, counts, change-feed rows), rendered once by jOOQ and run through JDBC ({@link RenderedSql}).
 * The rarer paths (a new patient, study or series, a replace) stay plain jOOQ in InstanceIndex.
 */
final class StoreStatements {
  /** A series already stored, its study and its patient's demographics. */
  record KnownSeries(long seriesPk, long studyPk, String studyInstanceUid, String patientId, String patientName,
      LocalDate patientBirthDate, String patientSex) {}

  /** Every column of a new instance row but its generated key, in binding order. */
  private static final List<Field<?>> INSTANCE_COLUMNS = List.of(INSTANCE.PARTITION_NAME, INSTANCE.SERIES_PK,
      INSTANCE.SOP_INSTANCE_UID, INSTANCE.SOP_CLASS_UID, INSTANCE.INSTANCE_NUMBER, INSTANCE.TRANSFER_SYNTAX_UID,
      INSTANCE.PIXEL_ROWS, INSTANCE.PIXEL_COLUMNS, INSTANCE.BITS_ALLOCATED, INSTANCE.NUMBER_OF_FRAMES,
      INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE, INSTANCE.CREATED_AT, INSTANCE.UPDATED_AT);

  /** The columns of a change-feed row, in the order {@link #insertChanges} takes its values. */
  private static final List<Field<?>> CHANGE_COLUMNS = List.of(CHANGE_FEED.SEQ, CHANGE_FEED.PARTITION_NAME,
      CHANGE_FEED.STUDY_INSTANCE_UID, CHANGE_FEED.SERIES_INSTANCE_UID, CHANGE_FEED.SOP_INSTANCE_UID,
      CHANGE_FEED.ACTION, CHANGE_FEED.STATE, CHANGE_FEED.CREATED_AT);

  private static final String CHANGE_FEED_COUNTER = "change_feed";

  private final RenderedSql instanceExists;
  private final RenderedSql knownSeries;
  private final RenderedSql insertInstance;
  private final RenderedSql addToSeries;
  private final RenderedSql addToStudy;
  private final RenderedSql reserveSequences;
  private final RenderedSql nextSequence;
  private final RenderedSql insertChange;

  StoreStatements(DSLContext dsl) {
    instanceExists = RenderedSql.of(dsl, dsl.selectOne().from(INSTANCE)
        .where(INSTANCE.PARTITION_NAME.eq(param(INSTANCE.PARTITION_NAME)),
            INSTANCE.SOP_INSTANCE_UID.eq(param(INSTANCE.SOP_INSTANCE_UID))));
    knownSeries = RenderedSql.of(dsl, dsl.select(SERIES.PK, STUDY.PK, STUDY.STUDY_INSTANCE_UID, PATIENT.PATIENT_ID,
            PATIENT.PATIENT_NAME, PATIENT.PATIENT_BIRTH_DATE, PATIENT.PATIENT_SEX)
        .from(SERIES).join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK)).join(PATIENT).on(PATIENT.PK.eq(STUDY.PATIENT_PK))
        .where(SERIES.PARTITION_NAME.eq(param(SERIES.PARTITION_NAME)),
            SERIES.SERIES_INSTANCE_UID.eq(param(SERIES.SERIES_INSTANCE_UID))));
    insertInstance = RenderedSql.of(dsl, dsl.insertInto(INSTANCE, INSTANCE_COLUMNS).values(placeholders(INSTANCE_COLUMNS)));
    addToSeries = RenderedSql.of(dsl, dsl.update(SERIES)
        .set(SERIES.NUMBER_OF_INSTANCES, SERIES.NUMBER_OF_INSTANCES.plus(param(SERIES.NUMBER_OF_INSTANCES)))
        .where(SERIES.PK.eq(param(SERIES.PK))));
    addToStudy = RenderedSql.of(dsl, dsl.update(STUDY)
        .set(STUDY.NUMBER_OF_INSTANCES, STUDY.NUMBER_OF_INSTANCES.plus(param(STUDY.NUMBER_OF_INSTANCES)))
        .where(STUDY.PK.eq(param(STUDY.PK))));
    reserveSequences = RenderedSql.of(dsl, dsl.update(COUNTER)
        .set(COUNTER.NEXT_VALUE, COUNTER.NEXT_VALUE.plus(param(COUNTER.NEXT_VALUE)))
        .where(COUNTER.NAME.eq(DSL.inline(CHANGE_FEED_COUNTER))));
    nextSequence = RenderedSql.of(dsl, dsl.select(COUNTER.NEXT_VALUE).from(COUNTER)
        .where(COUNTER.NAME.eq(DSL.inline(CHANGE_FEED_COUNTER))));
    insertChange = RenderedSql.of(dsl, dsl.insertInto(CHANGE_FEED, CHANGE_COLUMNS).values(placeholders(CHANGE_COLUMNS)));
  }

  private static List<Param<?>> placeholders(List<Field<?>> columns) {
    return columns.stream().<Param<?>>map(RenderedSql::param).toList();
  }

  boolean instanceExists(Connection c, String partition, String sopInstanceUid) {
    return Boolean.TRUE.equals(instanceExists.first(c, row -> true, partition, sopInstanceUid));
  }

  /** Null when the series is not stored in the partition. */
  KnownSeries knownSeries(Connection c, String partition, String seriesInstanceUid) {
    return knownSeries.first(c, row -> new KnownSeries(row.getLong(1), row.getLong(2), row.getString(3),
        row.getString(4), row.getString(5), row.getObject(6, LocalDate.class), row.getString(7)),
        partition, seriesInstanceUid);
  }

  /** Inserts the instance row; its generated key only when {@code readKey} (else -1). */
  long insertInstance(Connection c, Record instance, boolean readKey) {
    Object[] values = INSTANCE_COLUMNS.stream().map(instance::get).toArray();
    if (readKey) return insertInstance.insertReturningKey(c, values);
    insertInstance.update(c, values);
    return -1;
  }

  /** Adds to the instance counts of series and studies, each map in its key order. */
  void addInstances(Connection c, Map<Long, Integer> perSeries, Map<Long, Integer> perStudy) {
    if (!perSeries.isEmpty()) addToSeries.batch(c, countRows(perSeries));
    if (!perStudy.isEmpty()) addToStudy.batch(c, countRows(perStudy));
  }

  private static List<Object[]> countRows(Map<Long, Integer> added) {
    List<Object[]> rows = new ArrayList<>(added.size());
    added.forEach((pk, n) -> rows.add(new Object[] {n, pk}));
    return rows;
  }

  /** The sequence the next change will take (read outside any transaction: a guess unless one writer). */
  long nextSequence(Connection c) {
    return nextSequence.first(c, row -> row.getLong(1));
  }

  /**
   * Reserves {@code n} change-feed sequences and returns the first. The counter row stays locked
   * until commit, so sequence order is commit order.
   */
  long reserveSequences(Connection c, int n) {
    reserveSequences.update(c, n);
    return nextSequence.first(c, row -> row.getLong(1)) - n;
  }

  /** Change-feed rows, each with values in {@link #CHANGE_COLUMNS} order. */
  void insertChanges(Connection c, List<Object[]> rows) {
    insertChange.batch(c, rows);
  }

}
