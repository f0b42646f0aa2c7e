package dev.atrium.store;

/**
 * Why an instance was not stored, with the code each protocol answers: the STOW-RS
 * FailureReason (0008,1197) as the Azure DICOM service documents them, and the C-STORE
 * status of PS3.4 B.2.3 / PS3.7 C. Adapters read these; they never invent codes.
 */
public enum StoreFailure {
  /** Our side failed (database, unexpected error). */
  PROCESSING_FAILURE(272, 0x0110),
  /** The store cannot take more bytes (disk full, I/O error writing). */
  OUT_OF_RESOURCES(272, 0xA700),
  /** Not a readable DICOM instance, or required UIDs missing or malformed. */
  VALIDATION_FAILED(43264, 0xC000),
  /** The data set does not match the C-STORE request's Affected SOP Class/Instance. */
  DATA_SET_MISMATCH(43264, 0xA900),
  /** STOW-RS to /studies/{study} with an instance of another study (PS3.18 10.5.1). */
  STUDY_MISMATCH(43265, 0xA900),
  /** The SOP Instance UID is stored already and the policy is reject (PS3.7 C: Duplicate SOP Instance). */
  DUPLICATE(45070, 0x0111);

  private final int stowFailureReason;
  private final int dimseStatus;

  StoreFailure(int stowFailureReason, int dimseStatus) {
    this.stowFailureReason = stowFailureReason;
    this.dimseStatus = dimseStatus;
  }

  public int stowFailureReason() {
    return stowFailureReason;
  }

  public int dimseStatus() {
    return dimseStatus;
  }
}
