package dev.atrium.dimse;

import static dev.atrium.query.QueryAttributes.PATIENT_ID;
import static dev.atrium.query.QueryAttributes.SERIES_INSTANCE_UID;
import static dev.atrium.query.QueryAttributes.SOP_INSTANCE_UID;
import static dev.atrium.query.QueryAttributes.STUDY_INSTANCE_UID;

import dev.atrium.dicom.DicomIdentifier;
import dev.atrium.dicom.DicomUid;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.index.InstanceSelection;
import dev.atrium.query.QueryLevel;
import java.util.Arrays;
import java.util.List;

/**
 * The identifier of a C-MOVE or C-GET request as the instances it names. Baseline hierarchical retrieve (PS3.4
 * C.4.2.2.1, C.4.3.2.1): the Query/Retrieve Level, the unique key of that level (a list of UIDs allowed, or one
 * Patient ID) and one value for the unique key of every level above it; other keys are ignored.
 */
final class RetrieveKeys {
  private RetrieveKeys() {}

  /** The level retrieved at and the instances its keys name. */
  record Translation(QueryLevel level, InstanceSelection selection) {}

  static Translation translate(DicomIdentifier identifier, boolean patientRoot) throws Refusal {
    QueryLevel level = InformationModel.level(identifier.level(), patientRoot);
    String patientId = patientRoot ? single(identifier, PATIENT_ID, "PatientID", level) : null;
    List<String> studies = List.of();
    List<String> series = List.of();
    List<String> instances = List.of();
    switch (level) {
      case PATIENT -> { }
      case STUDY -> studies = uids(identifier, STUDY_INSTANCE_UID, "StudyInstanceUID");
      case SERIES -> {
        studies = List.of(uid(single(identifier, STUDY_INSTANCE_UID, "StudyInstanceUID", level), STUDY_INSTANCE_UID,
            "StudyInstanceUID"));
        series = uids(identifier, SERIES_INSTANCE_UID, "SeriesInstanceUID");
      }
      case INSTANCE -> {
        studies = List.of(uid(single(identifier, STUDY_INSTANCE_UID, "StudyInstanceUID", level), STUDY_INSTANCE_UID,
            "StudyInstanceUID"));
        series = List.of(uid(single(identifier, SERIES_INSTANCE_UID, "SeriesInstanceUID", level),
            SERIES_INSTANCE_UID, "SeriesInstanceUID"));
        instances = uids(identifier, SOP_INSTANCE_UID, "SOPInstanceUID");
      }
    }
    return new Translation(level, new InstanceSelection(patientId, studies, series, instances));
  }

  /** A key of a level above, or the Patient ID: exactly one value (PS3.4 C.4.2.2.1.2). */
  private static String single(DicomIdentifier identifier, int tag, String keyword, QueryLevel level)
      throws Refusal {
    DicomIdentifier.Key key = identifier.keys().get(tag);
    if (key == null || !InformationModel.isSingleValue(key.value())) {
      throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS, level.dicomName() + " level needs one "
          + keyword + " " + InformationModel.tagString(tag), tag);
    }
    return key.value().strip();
  }

  /** The unique key of the retrieve level: one or more UIDs (List of UID Matching, PS3.4 C.2.2.2.2). */
  private static List<String> uids(DicomIdentifier identifier, int tag, String keyword) throws Refusal {
    DicomIdentifier.Key key = identifier.keys().get(tag);
    if (key == null || key.value().isBlank()) {
      throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "a retrieve needs the "
          + keyword + " " + InformationModel.tagString(tag) + " to retrieve", tag);
    }
    List<String> values = Arrays.stream(key.value().split("\\\\")).map(String::strip).distinct().toList();
    for (String value : values) uid(value, tag, keyword);
    return values;
  }

  private static String uid(String value, int tag, String keyword) throws Refusal {
    if (!DicomUid.isValid(value)) {
      throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS, keyword + " '" + value
          + "' is not a UID", tag);
    }
    return value;
  }
}
