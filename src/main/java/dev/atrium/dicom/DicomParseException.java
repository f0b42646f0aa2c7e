package dev.atrium.dicom;

/** The bytes are not a DICOM instance we can read; the message says what was wrong. */
public final class DicomParseException extends Exception {
  public DicomParseException(String message) {
    super(message);
  }

  public DicomParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
