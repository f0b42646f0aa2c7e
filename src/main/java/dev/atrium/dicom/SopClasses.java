package dev.atrium.dicom;

import com.pixelmed.dicom.SOPClass;

/** Which abstract syntaxes are Storage SOP Classes (PS3.4 B.5), and transfer syntax facts. */
public final class SopClasses {
  public static final String VERIFICATION = "1.2.840.10008.1.1";
  public static final String IMPLICIT_VR_LITTLE_ENDIAN = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
  public static final String PATIENT_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
  public static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
  public static final String PATIENT_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
  public static final String PATIENT_ROOT_GET = "1.2.840.10008.5.1.4.1.2.1.3";
  public static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
  public static final String STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3";
  private static final String STANDARD_ROOT = "1.2.840.10008.";
  private static final String STANDARD_STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.";
  private static final String STANDARD_TRANSFER_SYNTAX_ROOT = "1.2.840.10008.1.2";

  private SopClasses() {}

  /**
   * Every standard storage class (also ones newer than our toolkit's list) and every private
   * SOP class: a modality's private objects (e.g. vendor raw data) must be archived too.
   */
  public static boolean isStorage(String sopClassUid) {
    if (!DicomUid.isValid(sopClassUid)) return false;
    return sopClassUid.startsWith(STANDARD_STORAGE_ROOT) || SOPClass.isStorage(sopClassUid)
        || !sopClassUid.startsWith(STANDARD_ROOT);
  }

  /** A standard transfer syntax (PS3.5 A): we store its bytes as received and can read its header. */
  public static boolean isStandardTransferSyntax(String uid) {
    return DicomUid.isValid(uid) && (uid.equals(STANDARD_TRANSFER_SYNTAX_ROOT)
        || uid.startsWith(STANDARD_TRANSFER_SYNTAX_ROOT + "."));
  }
}
