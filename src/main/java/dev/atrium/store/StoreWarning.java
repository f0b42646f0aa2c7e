package dev.atrium.store;

/**
 * Why an instance was stored with a warning, with the code each protocol answers: the STOW-RS WarningReason
 * (0008,1196) and the C-STORE status (PS3.4 B.2.3).
 */
public enum StoreWarning {
  /**
   * Values of attributes the index keeps do not read as their VR says (a StudyDate that is no date): the instance is
   * stored as sent, those attributes are not indexed. B007 "Data Set does not match SOP Class"; 45063 as the Azure
   * DICOM service answers for searchable attributes that fail validation (API v2).
   */
  INVALID_INDEXED_VALUES(45063, 0xB007);

  private final int stowWarningReason;
  private final int dimseStatus;

  StoreWarning(int stowWarningReason, int dimseStatus) {
    this.stowWarningReason = stowWarningReason;
    this.dimseStatus = dimseStatus;
  }

  public int stowWarningReason() {
    return stowWarningReason;
  }

  public int dimseStatus() {
    return dimseStatus;
  }
}
