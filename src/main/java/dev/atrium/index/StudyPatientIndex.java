package dev.atrium.index;

import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.STUDY;

import java.util.Optional;

/** Which patient a stored study belongs to (for the audit trail). */
public final class StudyPatientIndex {
  public record Patient(String id, String name) {}

  private final Database db;

  public StudyPatientIndex(Database db) {
    this.db = db;
  }

  public Optional<Patient> of(String partition, String studyInstanceUid) {
    return db.dsl().select(PATIENT.PATIENT_ID, PATIENT.PATIENT_NAME).from(STUDY)
        .join(PATIENT).on(PATIENT.PK.eq(STUDY.PATIENT_PK))
        .where(STUDY.PARTITION_NAME.eq(partition), STUDY.STUDY_INSTANCE_UID.eq(studyInstanceUid))
        .fetchOptional(r -> new Patient(r.value1(), r.value2()));
  }
}
