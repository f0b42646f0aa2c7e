package dev.atrium.dicom;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * What the index needs from one instance's header (everything before Pixel Data), with text
 * already decoded from the data set's Specific Character Set. Absent values are null.
 */
public record DicomHeader(
    String transferSyntaxUid,
    String sopClassUid,
    String sopInstanceUid,
    String studyInstanceUid,
    String seriesInstanceUid,
    // patient
    String patientId,
    String issuerOfPatientId,
    String patientName,
    LocalDate patientBirthDate,
    String patientSex,
    // study
    LocalDate studyDate,
    LocalTime studyTime,
    String accessionNumber,
    String studyId,
    String studyDescription,
    String referringPhysicianName,
    // series
    String modality,
    Integer seriesNumber,
    String seriesDescription,
    String bodyPartExamined,
    LocalDate performedProcedureStepStartDate,
    LocalTime performedProcedureStepStartTime,
    // instance
    Integer instanceNumber,
    Integer rows,
    Integer columns,
    Integer bitsAllocated,
    Integer numberOfFrames,
    // the whole header as DICOM JSON (PS3.18 F.2), Pixel Data as a BulkDataURI; see DicomMetadata
    byte[] metadataJson,
    // a note per indexed value present but unreadable (a date that is no date…): stored, not indexed, warned of
    List<String> invalidValues) {}
