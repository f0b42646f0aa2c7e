package dev.atrium.index;

import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.COUNTER;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/**
 * Bulk path into the index for tools (the synthetic benchmark loader), not for the store path:
 * whole patients with all their studies, series and instances, written with multi-row inserts in
 * one transaction per call. Computed attributes (counts, ModalitiesInStudy) and the change feed
 * (one "create" per instance, sequence taken from the counter row) come out as the store path
 * would leave them. Only for new patients, studies, series and instances: nothing is merged with
 * rows already in the index (a duplicate key fails the whole call, which commits nothing).
 */
public final class BulkLoader {
  /** Rows per INSERT statement: well under MariaDB's 65,535 placeholders at 15 columns. */
  private static final int ROWS_PER_STATEMENT = 1000;

  public record Instance(String sopInstanceUid, String sopClassUid, Integer instanceNumber, String transferSyntaxUid,
      Integer rows, Integer columns, Integer bitsAllocated, Integer numberOfFrames, String blobKey, long blobSize) {}

  public record Series(String seriesInstanceUid, String modality, Integer seriesNumber, String seriesDescription,
      String bodyPartExamined, LocalDate ppsStartDate, LocalTime ppsStartTime, List<Instance> instances) {}

  public record Study(String studyInstanceUid, LocalDate studyDate, LocalTime studyTime, String accessionNumber,
      String studyId, String studyDescription, String referringPhysicianName, List<Series> series) {}

  public record Patient(String patientId, String issuerOfPatientId, String patientName, LocalDate birthDate,
      String sex, List<Study> studies) {}

  private final Database db;

  public BulkLoader(Database db) {
    this.db = db;
  }

  /** Patients whose PatientID starts with {@code prefix} (a range scan of uk_patient). */
  public int countPatients(String partition, String prefix) {
    return db.dsl().fetchCount(PATIENT, PATIENT.PARTITION_NAME.eq(partition),
        PATIENT.PATIENT_ID.like(IndexConditions.likePattern(prefix) + "%", '!'));
  }

  /** Writes the patients and everything under them in one transaction; returns the instances written. */
  public int load(String partition, List<Patient> patients) {
    return db.dsl().transactionResult(tx -> {
      DSLContext dsl = tx.dsl();
      LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);

      List<Object[]> rows = new ArrayList<>();
      for (Patient p : patients) {
        rows.add(new Object[] {partition, p.patientId(), p.issuerOfPatientId(), p.patientName(),
            InstanceIndex.normalizeName(p.patientName()), p.birthDate(), p.sex(), now, now});
      }
      insert(dsl, PATIENT, List.of(PATIENT.PARTITION_NAME, PATIENT.PATIENT_ID, PATIENT.ISSUER_OF_PATIENT_ID,
          PATIENT.PATIENT_NAME, PATIENT.PATIENT_NAME_NORM, PATIENT.PATIENT_BIRTH_DATE, PATIENT.PATIENT_SEX,
          PATIENT.CREATED_AT, PATIENT.UPDATED_AT), rows);
      Map<String, Long> patientPks = pks(dsl, PATIENT, PATIENT.PK, PATIENT.PATIENT_ID, PATIENT.PARTITION_NAME.eq(partition),
          patients.stream().map(Patient::patientId).toList());

      rows.clear();
      List<String> studyUids = new ArrayList<>();
      for (Patient p : patients) {
        for (Study s : p.studies()) {
          String modalities = null;
          int instances = 0;
          for (Series se : s.series()) {
            modalities = InstanceIndex.withModality(modalities, se.modality());
            instances += se.instances().size();
          }
          rows.add(new Object[] {partition, patientPks.get(p.patientId()), s.studyInstanceUid(), s.studyDate(),
              s.studyTime(), s.accessionNumber(), s.studyId(), s.studyDescription(), s.referringPhysicianName(),
              InstanceIndex.normalizeName(s.referringPhysicianName()), modalities, s.series().size(), instances,
              now, now});
          studyUids.add(s.studyInstanceUid());
        }
      }
      insert(dsl, STUDY, List.of(STUDY.PARTITION_NAME, STUDY.PATIENT_PK, STUDY.STUDY_INSTANCE_UID, STUDY.STUDY_DATE,
          STUDY.STUDY_TIME, STUDY.ACCESSION_NUMBER, STUDY.STUDY_ID, STUDY.STUDY_DESCRIPTION,
          STUDY.REFERRING_PHYSICIAN_NAME, STUDY.REFERRING_PHYSICIAN_NORM, STUDY.MODALITIES_IN_STUDY,
          STUDY.NUMBER_OF_SERIES, STUDY.NUMBER_OF_INSTANCES, STUDY.CREATED_AT, STUDY.UPDATED_AT), rows);
      Map<String, Long> studyPks = pks(dsl, STUDY, STUDY.PK, STUDY.STUDY_INSTANCE_UID, STUDY.PARTITION_NAME.eq(partition),
          studyUids);

      rows.clear();
      List<String> seriesUids = new ArrayList<>();
      for (Patient p : patients) {
        for (Study s : p.studies()) {
          for (Series se : s.series()) {
            rows.add(new Object[] {partition, studyPks.get(s.studyInstanceUid()), se.seriesInstanceUid(),
                se.modality(), se.seriesNumber(), se.seriesDescription(), se.bodyPartExamined(), se.ppsStartDate(),
                se.ppsStartTime(), se.instances().size(), now, now});
            seriesUids.add(se.seriesInstanceUid());
          }
        }
      }
      insert(dsl, SERIES, List.of(SERIES.PARTITION_NAME, SERIES.STUDY_PK, SERIES.SERIES_INSTANCE_UID, SERIES.MODALITY,
          SERIES.SERIES_NUMBER, SERIES.SERIES_DESCRIPTION, SERIES.BODY_PART_EXAMINED, SERIES.PPS_START_DATE,
          SERIES.PPS_START_TIME, SERIES.NUMBER_OF_INSTANCES, SERIES.CREATED_AT, SERIES.UPDATED_AT), rows);
      Map<String, Long> seriesPks = pks(dsl, SERIES, SERIES.PK, SERIES.SERIES_INSTANCE_UID,
          SERIES.PARTITION_NAME.eq(partition), seriesUids);

      int count = 0;
      for (Patient p : patients) {
        for (Study s : p.studies()) {
          for (Series se : s.series()) count += se.instances().size();
        }
      }
      // The change-feed sequence block, taken as the store path takes one value: under the counter row lock.
      dsl.update(COUNTER).set(COUNTER.NEXT_VALUE, COUNTER.NEXT_VALUE.plus(count))
          .where(COUNTER.NAME.eq("change_feed")).execute();
      long seq = dsl.select(COUNTER.NEXT_VALUE).from(COUNTER).where(COUNTER.NAME.eq("change_feed")).fetchOne()
          .value1() - count;

      rows.clear();
      List<Object[]> changes = new ArrayList<>();
      for (Patient p : patients) {
        for (Study s : p.studies()) {
          for (Series se : s.series()) {
            long seriesPk = seriesPks.get(se.seriesInstanceUid());
            for (Instance i : se.instances()) {
              rows.add(new Object[] {partition, seriesPk, i.sopInstanceUid(), i.sopClassUid(), i.instanceNumber(),
                  i.transferSyntaxUid(), i.rows(), i.columns(), i.bitsAllocated(), i.numberOfFrames(), i.blobKey(),
                  i.blobSize(), now, now});
              changes.add(new Object[] {seq++, partition, s.studyInstanceUid(), se.seriesInstanceUid(),
                  i.sopInstanceUid(), "create", "current", now});
            }
          }
        }
      }
      insert(dsl, INSTANCE, List.of(INSTANCE.PARTITION_NAME, INSTANCE.SERIES_PK, INSTANCE.SOP_INSTANCE_UID,
          INSTANCE.SOP_CLASS_UID, INSTANCE.INSTANCE_NUMBER, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.PIXEL_ROWS,
          INSTANCE.PIXEL_COLUMNS, INSTANCE.BITS_ALLOCATED, INSTANCE.NUMBER_OF_FRAMES, INSTANCE.BLOB_KEY,
          INSTANCE.BLOB_SIZE, INSTANCE.CREATED_AT, INSTANCE.UPDATED_AT), rows);
      insert(dsl, CHANGE_FEED, List.of(CHANGE_FEED.SEQ, CHANGE_FEED.PARTITION_NAME, CHANGE_FEED.STUDY_INSTANCE_UID,
          CHANGE_FEED.SERIES_INSTANCE_UID, CHANGE_FEED.SOP_INSTANCE_UID, CHANGE_FEED.ACTION, CHANGE_FEED.STATE,
          CHANGE_FEED.CREATED_AT), changes);
      return count;
    });
  }

  private static void insert(DSLContext dsl, Table<?> table, List<Field<?>> columns, List<Object[]> rows) {
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      var insert = dsl.insertInto(table).columns(columns);
      for (Object[] row : rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT))) {
        insert = insert.values(Arrays.asList(row));
      }
      insert.execute();
    }
  }

  /** Generated keys of rows just inserted, by their unique natural key. */
  private static Map<String, Long> pks(DSLContext dsl, Table<?> table, Field<Long> pk, Field<String> key,
      Condition partition, List<String> keys) {
    Map<String, Long> out = new HashMap<>(keys.size() * 2);
    for (int from = 0; from < keys.size(); from += ROWS_PER_STATEMENT) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + ROWS_PER_STATEMENT));
      for (var r : dsl.select(key, pk).from(table).where(partition, key.in(part)).fetch()) {
        out.put(r.value1(), r.value2());
      }
    }
    if (out.size() != keys.size()) throw new IllegalStateException("bulk load: " + (keys.size() - out.size())
        + " inserted rows not found again by their key");
    return out;
  }
}
