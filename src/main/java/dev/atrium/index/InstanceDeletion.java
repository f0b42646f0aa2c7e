package dev.atrium.index;

import static dev.atrium.index.schema.Tables.BLOB_GARBAGE;
import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.COUNTER;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * Deletes a study, a series or an instance in one transaction: the instance rows, the counts
 * and ModalitiesInStudy of what remains, emptied series and studies, one change-feed entry per
 * instance (earlier entries become "deleted"), and the blobs queued as garbage, which the
 * reclaimer removes only after commit (and again at startup, so a crash leaves no file for ever).
 */
public final class InstanceDeletion {
  private record Doomed(long instancePk, long seriesPk, long studyPk, String seriesUid, String sopUid,
      String blobKey) {}

  private final Database db;

  public InstanceDeletion(Database db) {
    this.db = db;
  }

  /**
   * How many instances a delete removed (0: nothing matched), the change-feed sequence of its last entry, and the
   * study's patient as it was (for the audit record, PS3.15 A.5.3.9); null IDs when nothing matched.
   */
  public record Deleted(int instances, long lastSequence, String patientId, String patientName) {}

  public Deleted delete(String partition, String studyUid, String seriesUidOrNull, String sopUidOrNull) {
    return Transactions.withRetry(db.dsl(), tx -> {
      DSLContext dsl = tx.dsl();
      Condition target = INSTANCE.PARTITION_NAME.eq(partition).and(STUDY.PARTITION_NAME.eq(partition))
          .and(STUDY.STUDY_INSTANCE_UID.eq(studyUid));
      if (seriesUidOrNull != null) target = target.and(SERIES.SERIES_INSTANCE_UID.eq(seriesUidOrNull));
      if (sopUidOrNull != null) target = target.and(INSTANCE.SOP_INSTANCE_UID.eq(sopUidOrNull));
      List<Doomed> doomed = dsl
          .select(INSTANCE.PK, SERIES.PK, STUDY.PK, SERIES.SERIES_INSTANCE_UID, INSTANCE.SOP_INSTANCE_UID,
              INSTANCE.BLOB_KEY)
          .from(INSTANCE).join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK)).join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
          .where(target).orderBy(INSTANCE.PK).forUpdate()
          .fetch(r -> new Doomed(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
      if (doomed.isEmpty()) return new Deleted(0, 0, null, null);
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      long studyPk = doomed.get(0).studyPk();
      Map<Long, Integer> perSeries = new LinkedHashMap<>();
      for (Doomed d : doomed) {
        perSeries.merge(d.seriesPk(), 1, Integer::sum);
        dsl.insertInto(BLOB_GARBAGE).set(BLOB_GARBAGE.BLOB_KEY, d.blobKey()).set(BLOB_GARBAGE.CREATED_AT, now)
            .execute();
      }
      List<Long> instancePks = doomed.stream().map(Doomed::instancePk).toList();
      ExtendedValueWriter.forgetErrors(dsl, instancePks);
      dsl.deleteFrom(INSTANCE).where(INSTANCE.PK.in(instancePks)).execute();
      int emptiedSeries = 0;
      for (Map.Entry<Long, Integer> series : perSeries.entrySet()) {
        dsl.update(SERIES).set(SERIES.NUMBER_OF_INSTANCES, SERIES.NUMBER_OF_INSTANCES.minus(series.getValue()))
            .set(SERIES.UPDATED_AT, now).where(SERIES.PK.eq(series.getKey())).execute();
        emptiedSeries += dsl.deleteFrom(SERIES)
            .where(SERIES.PK.eq(series.getKey()), SERIES.NUMBER_OF_INSTANCES.le(0)).execute();
      }
      // Computed study attributes follow what remains (PS3.18 10.6.3.3.1).
      dsl.update(STUDY)
          .set(STUDY.NUMBER_OF_INSTANCES, STUDY.NUMBER_OF_INSTANCES.minus(doomed.size()))
          .set(STUDY.NUMBER_OF_SERIES, STUDY.NUMBER_OF_SERIES.minus(emptiedSeries))
          .set(STUDY.MODALITIES_IN_STUDY, StudyModalities.of(dsl, studyPk))
          .set(STUDY.UPDATED_AT, now).where(STUDY.PK.eq(studyPk)).execute();
      var patient = dsl.select(PATIENT.PK, PATIENT.PATIENT_ID, PATIENT.PATIENT_NAME).from(STUDY).join(PATIENT)
          .on(PATIENT.PK.eq(STUDY.PATIENT_PK)).where(STUDY.PK.eq(studyPk)).fetchOne();
      if (dsl.deleteFrom(STUDY).where(STUDY.PK.eq(studyPk), STUDY.NUMBER_OF_INSTANCES.le(0)).execute() > 0
          && patient != null) {
        InstanceIndex.dropIfWithoutStudies(dsl, patient.value1());
      }
      dsl.update(CHANGE_FEED).set(CHANGE_FEED.STATE, "deleted")
          .where(CHANGE_FEED.PARTITION_NAME.eq(partition),
              CHANGE_FEED.SOP_INSTANCE_UID.in(doomed.stream().map(Doomed::sopUid).toList()),
              CHANGE_FEED.STATE.eq("current"))
          .execute();
      long lastSequence = appendDeletions(dsl, partition, studyUid, doomed, now);
      return new Deleted(doomed.size(), lastSequence, patient == null ? null : patient.value2(),
          patient == null ? null : patient.value3());
    });
  }

  /** Last in the transaction, like stores: the counter row lock keeps sequence order = commit order. */
  private static long appendDeletions(DSLContext dsl, String partition, String studyUid, List<Doomed> doomed,
      LocalDateTime now) {
    dsl.update(COUNTER).set(COUNTER.NEXT_VALUE, COUNTER.NEXT_VALUE.plus(doomed.size()))
        .where(COUNTER.NAME.eq("change_feed")).execute();
    long sequence = dsl.select(COUNTER.NEXT_VALUE).from(COUNTER).where(COUNTER.NAME.eq("change_feed")).fetchOne()
        .value1() - doomed.size();
    for (Doomed d : doomed) {
      dsl.insertInto(CHANGE_FEED)
          .set(CHANGE_FEED.SEQ, sequence++)
          .set(CHANGE_FEED.PARTITION_NAME, partition)
          .set(CHANGE_FEED.STUDY_INSTANCE_UID, studyUid)
          .set(CHANGE_FEED.SERIES_INSTANCE_UID, d.seriesUid())
          .set(CHANGE_FEED.SOP_INSTANCE_UID, d.sopUid())
          .set(CHANGE_FEED.ACTION, "delete")
          .set(CHANGE_FEED.STATE, "deleted")
          .set(CHANGE_FEED.CREATED_AT, now)
          .execute();
    }
    return sequence - 1;
  }
}
