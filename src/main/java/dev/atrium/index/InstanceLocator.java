package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Field;
import org.jooq.Record7;
import org.jooq.SelectLimitStep;
import org.jooq.SelectOnConditionStep;
import org.jooq.impl.DSL;

/** Finds stored instances by their UIDs within a partition. */
public final class InstanceLocator {
  /** UIDs per IN list: well below any database's limit on bound parameters. */
  private static final int SELECT_CHUNK = 500;

  private final Database db;
  /** {@link #select} of one whole study, the usual C-MOVE and C-GET, rendered once (see {@link RenderedSql}). */
  final RenderedSql studyInstances;

  public InstanceLocator(Database db) {
    this.db = db;
    this.studyInstances = RenderedSql.of(db.dsl(), located()
        .where(inStudy(RenderedSql.param(INSTANCE.PARTITION_NAME), RenderedSql.param(STUDY.STUDY_INSTANCE_UID)))
        .orderBy(SERIES.SERIES_NUMBER, SERIES.PK, INSTANCE.INSTANCE_NUMBER, INSTANCE.PK));
  }

  public Optional<StoredInstance> find(String partition, String studyUid, String seriesUid, String sopUid) {
    return located()
        .where(INSTANCE.PARTITION_NAME.eq(partition), INSTANCE.SOP_INSTANCE_UID.eq(sopUid),
            SERIES.SERIES_INSTANCE_UID.eq(seriesUid), STUDY.STUDY_INSTANCE_UID.eq(studyUid))
        .fetchOptional(InstanceLocator::stored);
  }

  /** The first instance of a study (or of one of its series) in series and instance order; empty when none. */
  public Optional<StoredInstance> first(String partition, String studyUid, String seriesUidOrNull) {
    return listing(partition, studyUid, seriesUidOrNull).limit(1).fetchOptional(InstanceLocator::stored);
  }

  /**
   * The representative instance of a patient: the first of the study stored last (its demographics are the most
   * recent); empty when the patient has no instance.
   */
  public Optional<StoredInstance> latestOfPatient(String partition, String patientId, String issuerOrNull) {
    String issuer = issuerOrNull == null ? "" : issuerOrNull; // the index keeps an absent issuer as empty
    return located()
        .join(PATIENT).on(PATIENT.PK.eq(STUDY.PATIENT_PK))
        .where(PATIENT.PARTITION_NAME.eq(partition), PATIENT.PATIENT_ID.eq(patientId),
            PATIENT.ISSUER_OF_PATIENT_ID.eq(issuer),
            STUDY.PARTITION_NAME.eq(partition), SERIES.PARTITION_NAME.eq(partition),
            INSTANCE.PARTITION_NAME.eq(partition))
        .orderBy(STUDY.PK.desc(), SERIES.SERIES_NUMBER, SERIES.PK, INSTANCE.INSTANCE_NUMBER, INSTANCE.PK)
        .limit(1)
        .fetchOptional(InstanceLocator::stored);
  }

  /** An instance's UIDs, syntax and blob, from the instance joined to its series and study. */
  private SelectOnConditionStep<Record7<String, String, String, String, String, String, Long>> located() {
    return db.dsl()
        .select(STUDY.STUDY_INSTANCE_UID, SERIES.SERIES_INSTANCE_UID, INSTANCE.SOP_INSTANCE_UID,
            INSTANCE.SOP_CLASS_UID, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE)
        .from(INSTANCE)
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK))
        .join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK));
  }

  private static StoredInstance stored(Record7<String, String, String, String, String, String, Long> r) {
    return new StoredInstance(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7());
  }

  /**
   * Every instance of a study (or of one of its series), in series and instance order, streamed
   * from a cursor: a study of any size never sits in memory as a list.
   */
  public void forEach(String partition, String studyUid, String seriesUidOrNull, InstanceConsumer consumer)
      throws IOException {
    try (Cursor<Record7<String, String, String, String, String, String, Long>> cursor =
        listing(partition, studyUid, seriesUidOrNull).fetchSize(256).fetchLazy()) {
      for (var r : cursor) consumer.accept(stored(r));
    }
  }

  /** The query behind {@link #forEach}, in series and instance order. */
  SelectLimitStep<Record7<String, String, String, String, String, String, Long>> listing(String partition,
      String studyUid, String seriesUidOrNull) {
    return located()
        .where(inStudy(partition, studyUid, seriesUidOrNull))
        .orderBy(SERIES.SERIES_NUMBER, SERIES.PK, INSTANCE.INSTANCE_NUMBER, INSTANCE.PK);
  }

  /**
   * The instances of a selection (C-MOVE, C-GET), in study, series and instance order. A list, not a stream: a
   * retrieve reports the number of remaining sub-operations from the start (PS3.4 C.4.2.3.1) and must not hold a
   * cursor open while it sends. The UIDs the instances share are held once.
   */
  public List<StoredInstance> select(String partition, InstanceSelection selection) {
    if (selection.patientId() == null && selection.studyUids().size() == 1 && selection.seriesUids().isEmpty()
        && selection.sopInstanceUids().isEmpty()) {
      // A request too rare for the JIT to compile its path: jOOQ building and rendering the query took about 1.1 ms
      // of each C-MOVE after a hundred of them, the statement rendered once 0.3-0.4 ms.
      String studyUid = selection.studyUids().get(0);
      Map<String, String> shared = new HashMap<>();
      return db.dsl().connectionResult(c -> studyInstances.list(c, row -> new StoredInstance(
          once(shared, row.getString(1)), once(shared, row.getString(2)), row.getString(3),
          once(shared, row.getString(4)), once(shared, row.getString(5)), row.getString(6), row.getLong(7)),
          partition, partition, partition, studyUid));
    }
    // The lowest level given is the one that may list many UIDs; it is queried in chunks of bound parameters.
    boolean bySop = !selection.sopInstanceUids().isEmpty();
    boolean bySeries = !bySop && !selection.seriesUids().isEmpty();
    List<String> many = bySop ? selection.sopInstanceUids()
        : bySeries ? selection.seriesUids() : selection.studyUids();
    Field<String> manyField = bySop ? INSTANCE.SOP_INSTANCE_UID
        : bySeries ? SERIES.SERIES_INSTANCE_UID : STUDY.STUDY_INSTANCE_UID;
    Condition where = INSTANCE.PARTITION_NAME.eq(partition).and(SERIES.PARTITION_NAME.eq(partition))
        .and(STUDY.PARTITION_NAME.eq(partition));
    if (selection.patientId() != null) {
      where = where.and(PATIENT.PARTITION_NAME.eq(partition)).and(PATIENT.PATIENT_ID.eq(selection.patientId()));
    }
    if ((bySop || bySeries) && !selection.studyUids().isEmpty()) {
      where = where.and(STUDY.STUDY_INSTANCE_UID.in(selection.studyUids()));
    }
    if (bySop && !selection.seriesUids().isEmpty()) {
      where = where.and(SERIES.SERIES_INSTANCE_UID.in(selection.seriesUids()));
    }
    Map<String, String> shared = new HashMap<>();
    List<StoredInstance> found = new ArrayList<>();
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < many.size(); i += SELECT_CHUNK) {
      chunks.add(many.subList(i, Math.min(many.size(), i + SELECT_CHUNK)));
    }
    if (chunks.isEmpty()) chunks.add(null); // only a Patient ID
    for (List<String> chunk : chunks) {
      located()
          .join(PATIENT).on(PATIENT.PK.eq(STUDY.PATIENT_PK))
          .where(chunk == null ? where : where.and(manyField.in(chunk)))
          .orderBy(STUDY.PK, SERIES.SERIES_NUMBER, SERIES.PK, INSTANCE.INSTANCE_NUMBER, INSTANCE.PK)
          .fetch()
          .forEach(r -> found.add(new StoredInstance(once(shared, r.value1()), once(shared, r.value2()), r.value3(),
              once(shared, r.value4()), once(shared, r.value5()), r.value6(), r.value7())));
    }
    return found;
  }

  private static String once(Map<String, String> shared, String value) {
    return shared.computeIfAbsent(value, v -> v);
  }

  /** Receives located instances; may do I/O. */
  public interface InstanceConsumer {
    void accept(StoredInstance instance) throws IOException;
  }

  /** Transfer syntaxes present among the instances a retrieve would return. */
  public java.util.List<String> transferSyntaxes(String partition, String studyUid, String seriesUidOrNull) {
    return db.dsl().selectDistinct(INSTANCE.TRANSFER_SYNTAX_UID).from(INSTANCE)
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK)).join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(inStudy(partition, studyUid, seriesUidOrNull)).fetch(INSTANCE.TRANSFER_SYNTAX_UID);
  }

  /**
   * The instances of a study (or one of its series). The partition is named on every joined table,
   * as in {@link QueryIndex}: with it on the instance alone, H2 began from the instance table's
   * partition index, reading every instance of the partition for each study retrieve (WADO-RS and
   * metadata time grew with the archive, 13 ms at 6,000 instances, 26 ms at 12,000); with it on the
   * study too, the plan starts from uk_study (partition, StudyInstanceUID).
   */
  static Condition inStudy(Field<String> partition, Field<String> studyUid) {
    return INSTANCE.PARTITION_NAME.eq(partition).and(SERIES.PARTITION_NAME.eq(partition))
        .and(STUDY.PARTITION_NAME.eq(partition)).and(STUDY.STUDY_INSTANCE_UID.eq(studyUid));
  }

  /** The same with values, and optionally one series. */
  static Condition inStudy(String partition, String studyUid, String seriesUidOrNull) {
    Condition where = inStudy(DSL.val(partition, INSTANCE.PARTITION_NAME), DSL.val(studyUid, STUDY.STUDY_INSTANCE_UID));
    return seriesUidOrNull == null ? where : where.and(SERIES.SERIES_INSTANCE_UID.eq(seriesUidOrNull));
  }

  /** Whether any instance row references this blob (crash recovery of in-flight blobs). */
  public boolean referencesBlob(String blobKey) {
    return db.dsl().fetchExists(INSTANCE, INSTANCE.BLOB_KEY.eq(blobKey));
  }
}
