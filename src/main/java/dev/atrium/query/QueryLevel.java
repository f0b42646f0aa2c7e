package dev.atrium.query;

/** Query/Retrieve levels (PS3.4 C.3); QIDO's study/series/instance resources map onto the last three. */
public enum QueryLevel {
  PATIENT, STUDY, SERIES, INSTANCE;

  /** The C-FIND Query/Retrieve Level (0008,0052) value. */
  public String dicomName() {
    return this == INSTANCE ? "IMAGE" : name();
  }
}
