package dev.atrium.audit;

/**
 * Whose studies an audit record names: PS3.15 A.5.3.7 (DICOM Instances Transferred), A.5.3.8 (Accessed) and
 * A.5.3.9 (Study Deleted) identify the patient beside the studies.
 */
@FunctionalInterface
public interface AuditPatients {
  AuditPatients NONE = (partition, studyInstanceUid) -> null;

  /** A patient as the index holds it: Patient ID and Patient's Name (either may be empty). */
  record Patient(String id, String name) {}

  /** The patient of the study in the partition, or null when the study is not (or no longer) stored. */
  Patient of(String partition, String studyInstanceUid);
}
