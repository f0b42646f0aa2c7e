package dev.atrium.index;

import static dev.atrium.index.schema.Tables.BLOB_GARBAGE;
import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.COUNTER;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.dicom.DicomHeader;
import dev.atrium.index.schema.tables.records.InstanceRecord;
import dev.atrium.index.schema.tables.records.PatientRecord;
import dev.atrium.index.schema.tables.records.SeriesRecord;
import dev.atrium.index.schema.tables.records.StudyRecord;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Record1;

/**
 * Writes one instance into the index in one transaction: patient, study and series rows
 * (created or updated), the instance row, the computed counts, and the change-feed entry.
 * Locks are always taken in the order patient, study, series, instance, counter.
 */
public final class InstanceIndex {
  public enum OnDuplicate { KEEP, REPLACE }

  private final Database db;

  public InstanceIndex(Database db) {
    this.db = db;
  }

  /** Cheap check before the blob is made durable: is this SOP instance already stored? */
  public boolean exists(String partition, String sopInstanceUid) {
    return db.dsl().fetchExists(INSTANCE,
        INSTANCE.PARTITION_NAME.eq(partition).and(INSTANCE.SOP_INSTANCE_UID.eq(sopInstanceUid)));
  }

  public IndexOutcome store(String partition, DicomHeader h, String blobKey, long blobSize, OnDuplicate onDuplicate) {
    return Transactions.withRetry(db.dsl(), tx -> {
      DSLContext dsl = tx.dsl();
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
      InstanceRecord existing = dsl.selectFrom(INSTANCE)
          .where(INSTANCE.PARTITION_NAME.eq(partition), INSTANCE.SOP_INSTANCE_UID.eq(h.sopInstanceUid()))
          .forUpdate().fetchOne();
      if (existing != null && onDuplicate == OnDuplicate.KEEP) return new IndexOutcome.Duplicate();

      PatientRecord patient = upsertPatient(dsl, partition, h, now);
      StudyRecord study = upsertStudy(dsl, partition, patient, h, now);
      SeriesRecord series = upsertSeries(dsl, partition, study, h, now);
      if (series == null) {
        return new IndexOutcome.Conflict("series " + h.seriesInstanceUid() + " is stored under another study than "
            + h.studyInstanceUid());
      }
      if (existing != null) {
        if (!existing.getSeriesPk().equals(series.getPk())) {
          return new IndexOutcome.Conflict("instance " + h.sopInstanceUid() + " is stored in another series");
        }
        String oldBlob = existing.getBlobKey();
        fillInstance(existing, h, blobKey, blobSize, now).update();
        dsl.insertInto(BLOB_GARBAGE).set(BLOB_GARBAGE.BLOB_KEY, oldBlob).set(BLOB_GARBAGE.CREATED_AT, now).execute();
        dsl.update(CHANGE_FEED).set(CHANGE_FEED.STATE, "replaced")
            .where(CHANGE_FEED.PARTITION_NAME.eq(partition), CHANGE_FEED.SOP_INSTANCE_UID.eq(h.sopInstanceUid()),
                CHANGE_FEED.STATE.eq("current"))
            .execute();
        return new IndexOutcome.Replaced(appendChange(dsl, partition, h, "update", now), oldBlob);
      }
      InstanceRecord instance = dsl.newRecord(INSTANCE);
      instance.setPartitionName(partition);
      instance.setSeriesPk(series.getPk());
      instance.setSopInstanceUid(h.sopInstanceUid());
      instance.setCreatedAt(now);
      fillInstance(instance, h, blobKey, blobSize, now).insert();
      dsl.update(SERIES).set(SERIES.NUMBER_OF_INSTANCES, SERIES.NUMBER_OF_INSTANCES.plus(1))
          .where(SERIES.PK.eq(series.getPk())).execute();
      dsl.update(STUDY).set(STUDY.NUMBER_OF_INSTANCES, STUDY.NUMBER_OF_INSTANCES.plus(1))
          .where(STUDY.PK.eq(study.getPk())).execute();
      return new IndexOutcome.Created(appendChange(dsl, partition, h, "create", now));
    });
  }

  private static PatientRecord upsertPatient(DSLContext dsl, String partition, DicomHeader h, LocalDateTime now) {
    String patientId = truncate(nullToEmpty(h.patientId()), 64);
    String issuer = truncate(nullToEmpty(h.issuerOfPatientId()), 64);
    PatientRecord p = dsl.selectFrom(PATIENT)
        .where(PATIENT.PARTITION_NAME.eq(partition), PATIENT.PATIENT_ID.eq(patientId),
            PATIENT.ISSUER_OF_PATIENT_ID.eq(issuer))
        .fetchOne();
    if (p == null) {
      p = dsl.newRecord(PATIENT);
      p.setPartitionName(partition);
      p.setPatientId(patientId);
      p.setIssuerOfPatientId(issuer);
      p.setCreatedAt(now);
    } else if (Objects.equals(p.getPatientName(), h.patientName())
        && Objects.equals(p.getPatientBirthDate(), h.patientBirthDate())
        && Objects.equals(p.getPatientSex(), h.patientSex())) {
      return p; // the common case: nothing to write
    }
    // The latest instance's demographics win (a corrected name arrives with a later study).
    p.setPatientName(truncate(h.patientName(), 400));
    p.setPatientNameNorm(normalizeName(h.patientName()));
    p.setPatientBirthDate(h.patientBirthDate());
    p.setPatientSex(truncate(h.patientSex(), 16));
    p.setUpdatedAt(now);
    p.store();
    return p;
  }

  /** An existing study keeps its patient: later instances with other demographics join it as is. */
  private static StudyRecord upsertStudy(DSLContext dsl, String partition, PatientRecord patient, DicomHeader h,
      LocalDateTime now) {
    StudyRecord s = dsl.selectFrom(STUDY)
        .where(STUDY.PARTITION_NAME.eq(partition), STUDY.STUDY_INSTANCE_UID.eq(h.studyInstanceUid()))
        .fetchOne();
    if (s != null) return s;
    s = dsl.newRecord(STUDY);
    s.setPartitionName(partition);
    s.setPatientPk(patient.getPk());
    s.setStudyInstanceUid(h.studyInstanceUid());
    s.setStudyDate(h.studyDate());
    s.setStudyTime(h.studyTime());
    s.setAccessionNumber(truncate(h.accessionNumber(), 64));
    s.setStudyId(truncate(h.studyId(), 16));
    s.setStudyDescription(truncate(h.studyDescription(), 64));
    s.setReferringPhysicianName(truncate(h.referringPhysicianName(), 400));
    s.setReferringPhysicianNorm(normalizeName(h.referringPhysicianName()));
    s.setModalitiesInStudy(null);
    s.setNumberOfSeries(0);
    s.setNumberOfInstances(0);
    s.setCreatedAt(now);
    s.setUpdatedAt(now);
    s.insert();
    return s;
  }

  /** Null when the series exists under another study. */
  private static SeriesRecord upsertSeries(DSLContext dsl, String partition, StudyRecord study, DicomHeader h,
      LocalDateTime now) {
    SeriesRecord s = dsl.selectFrom(SERIES)
        .where(SERIES.PARTITION_NAME.eq(partition), SERIES.SERIES_INSTANCE_UID.eq(h.seriesInstanceUid()))
        .fetchOne();
    if (s != null) return s.getStudyPk().equals(study.getPk()) ? s : null;
    s = dsl.newRecord(SERIES);
    s.setPartitionName(partition);
    s.setStudyPk(study.getPk());
    s.setSeriesInstanceUid(h.seriesInstanceUid());
    s.setModality(truncate(h.modality(), 16));
    s.setSeriesNumber(h.seriesNumber());
    s.setSeriesDescription(truncate(h.seriesDescription(), 64));
    s.setBodyPartExamined(truncate(h.bodyPartExamined(), 16));
    s.setPpsStartDate(h.performedProcedureStepStartDate());
    s.setPpsStartTime(h.performedProcedureStepStartTime());
    s.setNumberOfInstances(0);
    s.setCreatedAt(now);
    s.setUpdatedAt(now);
    s.insert();
    // Computed study attributes are kept at store time (PS3.18 10.6.3.3.1), not counted per query.
    String modalities = withModality(study.getModalitiesInStudy(), s.getModality());
    dsl.update(STUDY)
        .set(STUDY.NUMBER_OF_SERIES, STUDY.NUMBER_OF_SERIES.plus(1))
        .set(STUDY.MODALITIES_IN_STUDY, modalities)
        .set(STUDY.UPDATED_AT, now)
        .where(STUDY.PK.eq(study.getPk()))
        .execute();
    return s;
  }

  private static InstanceRecord fillInstance(InstanceRecord r, DicomHeader h, String blobKey, long size,
      LocalDateTime now) {
    r.setSopClassUid(h.sopClassUid());
    r.setInstanceNumber(h.instanceNumber());
    r.setTransferSyntaxUid(h.transferSyntaxUid());
    r.setPixelRows(h.rows());
    r.setPixelColumns(h.columns());
    r.setBitsAllocated(h.bitsAllocated());
    r.setNumberOfFrames(h.numberOfFrames());
    r.setBlobKey(blobKey);
    r.setBlobSize(size);
    r.setUpdatedAt(now);
    return r;
  }

  /** Last in the transaction: the counter row lock makes sequence order equal commit order. */
  private static long appendChange(DSLContext dsl, String partition, DicomHeader h, String action,
      LocalDateTime now) {
    dsl.update(COUNTER).set(COUNTER.NEXT_VALUE, COUNTER.NEXT_VALUE.plus(1)).where(COUNTER.NAME.eq("change_feed"))
        .execute();
    Record1<Long> next = dsl.select(COUNTER.NEXT_VALUE).from(COUNTER).where(COUNTER.NAME.eq("change_feed"))
        .fetchOne();
    long sequence = next.value1() - 1;
    dsl.insertInto(CHANGE_FEED)
        .set(CHANGE_FEED.SEQ, sequence)
        .set(CHANGE_FEED.PARTITION_NAME, partition)
        .set(CHANGE_FEED.STUDY_INSTANCE_UID, h.studyInstanceUid())
        .set(CHANGE_FEED.SERIES_INSTANCE_UID, h.seriesInstanceUid())
        .set(CHANGE_FEED.SOP_INSTANCE_UID, h.sopInstanceUid())
        .set(CHANGE_FEED.ACTION, action)
        .set(CHANGE_FEED.STATE, "current")
        .set(CHANGE_FEED.CREATED_AT, now)
        .execute();
    return sequence;
  }

  static String withModality(String modalities, String modality) {
    if (modality == null || modality.isBlank()) return modalities;
    if (modalities == null || modalities.isEmpty()) return modality;
    if (Arrays.asList(modalities.split("\\\\")).contains(modality)) return modalities;
    String joined = modalities + "\\" + modality;
    return joined.length() <= 256 ? joined : modalities;
  }

  /** Case-insensitive matching of person names (PS3.4 C.2.2.2.1 leaves it to the SCP). */
  static String normalizeName(String name) {
    return name == null ? null : truncate(name.toUpperCase(Locale.ROOT), 400);
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
