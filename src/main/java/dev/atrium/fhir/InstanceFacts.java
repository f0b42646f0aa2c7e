package dev.atrium.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What DICOMcast needs of one instance, read from its stored metadata (the DICOM JSON Model,
 * PS3.18 F.2): the patient, study, series and instance attributes that ImagingStudy and Patient
 * carry. Absent or empty attributes are null.
 */
record InstanceFacts(
    String studyUid, String seriesUid, String sopUid, String sopClassUid, Integer instanceNumber,
    String patientId, String issuerOfPatientId, String patientName, String birthDate, String sex,
    String studyDate, String studyTime, String timezoneOffset, String studyDescription, String accessionNumber,
    String modality, Integer seriesNumber, String seriesDescription, String bodyPart, String seriesDate,
    String seriesTime) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static InstanceFacts parse(byte[] dicomJson) throws IOException {
    JsonNode m = JSON.readTree(dicomJson);
    return new InstanceFacts(
        text(m, "0020000D"), text(m, "0020000E"), text(m, "00080018"), text(m, "00080016"), integer(m, "00200013"),
        text(m, "00100020"), text(m, "00100021"), text(m, "00100010"), text(m, "00100030"), text(m, "00100040"),
        text(m, "00080020"), text(m, "00080030"), text(m, "00080201"), text(m, "00081030"), text(m, "00080050"),
        text(m, "00080060"), integer(m, "00200011"), text(m, "0008103E"), text(m, "00180015"), text(m, "00080021"),
        text(m, "00080031"));
  }

  /** The first value; a person name (PS3.18 F.2.2) as its alphabetic component group. */
  private static String text(JsonNode metadata, String tag) {
    JsonNode value = metadata.path(tag).path("Value").path(0);
    if (value.isObject()) value = value.path("Alphabetic");
    if (value.isMissingNode() || value.isNull()) return null;
    String text = value.asText().strip();
    return text.isEmpty() ? null : text;
  }

  /** IS values are JSON numbers in the model; a string or an out-of-range value counts as absent. */
  private static Integer integer(JsonNode metadata, String tag) {
    String text = text(metadata, tag);
    if (text == null) return null;
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
