package dev.atrium.query;

import static dev.atrium.query.QueryLevel.INSTANCE;
import static dev.atrium.query.QueryLevel.PATIENT;
import static dev.atrium.query.QueryLevel.SERIES;
import static dev.atrium.query.QueryLevel.STUDY;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of attributes the index can match and return, by level. One place decides what
 * QIDO-RS and C-FIND may ask for.
 */
public final class QueryAttributes {
  public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
  public static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
  public static final int INSTANCE_AVAILABILITY = 0x00080056;
  public static final int RETRIEVE_URL = 0x00081190;
  public static final int STUDY_INSTANCE_UID = 0x0020000D;
  public static final int SERIES_INSTANCE_UID = 0x0020000E;
  public static final int SOP_INSTANCE_UID = 0x00080018;
  public static final int PATIENT_ID = 0x00100020;
  public static final int ISSUER_OF_PATIENT_ID = 0x00100021;

  private static final Map<Integer, QueryAttribute> BY_TAG = new LinkedHashMap<>();
  private static final Map<String, QueryAttribute> BY_KEYWORD = new LinkedHashMap<>();

  static {
    // Patient (PS3.4 C.6.1.1.2; patient attributes are also study-level keys in QIDO)
    add(0x00100010, "PatientName", "PN", PATIENT, true);
    add(PATIENT_ID, "PatientID", "LO", PATIENT, true);
    add(ISSUER_OF_PATIENT_ID, "IssuerOfPatientID", "LO", PATIENT, true);
    add(0x00100030, "PatientBirthDate", "DA", PATIENT, true);
    add(0x00100040, "PatientSex", "CS", PATIENT, true);
    add(0x00201200, "NumberOfPatientRelatedStudies", "IS", PATIENT, false);
    add(0x00201202, "NumberOfPatientRelatedSeries", "IS", PATIENT, false);
    add(0x00201204, "NumberOfPatientRelatedInstances", "IS", PATIENT, false);
    // Study (PS3.18 Table 10.6.1-5, 10.6.3-3)
    add(0x00080020, "StudyDate", "DA", STUDY, true);
    add(0x00080030, "StudyTime", "TM", STUDY, true);
    add(0x00080050, "AccessionNumber", "SH", STUDY, true);
    add(0x00080061, "ModalitiesInStudy", "CS", STUDY, true);
    add(0x00080090, "ReferringPhysicianName", "PN", STUDY, true);
    add(0x00081030, "StudyDescription", "LO", STUDY, true);
    add(STUDY_INSTANCE_UID, "StudyInstanceUID", "UI", STUDY, true);
    add(0x00200010, "StudyID", "SH", STUDY, true);
    add(0x00201206, "NumberOfStudyRelatedSeries", "IS", STUDY, false);
    add(0x00201208, "NumberOfStudyRelatedInstances", "IS", STUDY, false);
    // Series (10.6.3-4)
    add(0x00080060, "Modality", "CS", SERIES, true);
    add(0x0008103E, "SeriesDescription", "LO", SERIES, true);
    add(0x00180015, "BodyPartExamined", "CS", SERIES, true);
    add(SERIES_INSTANCE_UID, "SeriesInstanceUID", "UI", SERIES, true);
    add(0x00200011, "SeriesNumber", "IS", SERIES, true);
    add(0x00400244, "PerformedProcedureStepStartDate", "DA", SERIES, true);
    add(0x00400245, "PerformedProcedureStepStartTime", "TM", SERIES, true);
    add(0x00201209, "NumberOfSeriesRelatedInstances", "IS", SERIES, false);
    // Instance (10.6.3-5)
    add(0x00080016, "SOPClassUID", "UI", INSTANCE, true);
    add(SOP_INSTANCE_UID, "SOPInstanceUID", "UI", INSTANCE, true);
    add(0x00200013, "InstanceNumber", "IS", INSTANCE, true);
    add(0x00280010, "Rows", "US", INSTANCE, false);
    add(0x00280011, "Columns", "US", INSTANCE, false);
    add(0x00280100, "BitsAllocated", "US", INSTANCE, false);
    add(0x00280008, "NumberOfFrames", "IS", INSTANCE, false);
  }

  private QueryAttributes() {}

  private static void add(int tag, String keyword, String vr, QueryLevel level, boolean matchable) {
    QueryAttribute attribute = new QueryAttribute(tag, keyword, vr, level, matchable);
    BY_TAG.put(tag, attribute);
    BY_KEYWORD.put(keyword.toLowerCase(Locale.ROOT), attribute);
  }

  public static Optional<QueryAttribute> byTag(int tag) {
    return Optional.ofNullable(BY_TAG.get(tag));
  }

  /** A keyword ("PatientID") or an 8-digit hex tag ("00100020"), as QIDO accepts both. */
  public static Optional<QueryAttribute> byName(String name) {
    if (isHexTag(name)) return byTag((int) Long.parseLong(name, 16));
    return Optional.ofNullable(BY_KEYWORD.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Eight hex digits, the way QIDO and the extended query tag API write a tag. */
  public static boolean isHexTag(String name) {
    return name.length() == 8 && name.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  public static List<QueryAttribute> all() {
    return Collections.unmodifiableList(new ArrayList<>(BY_TAG.values()));
  }

  /**
   * Whether a key of {@code attribute} is meaningful in a query at {@code level}: its own level
   * or any level above (QIDO allows study keys at series and instance level; C-FIND unique keys
   * of the levels above). Patient attributes count as study attributes.
   */
  public static boolean usableAt(QueryAttribute attribute, QueryLevel level) {
    return attribute.level().ordinal() <= level.ordinal();
  }
}
