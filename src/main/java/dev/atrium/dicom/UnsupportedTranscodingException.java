package dev.atrium.dicom;

/** The archive cannot turn an instance or frame into the transfer syntax asked for; the message names both. */
public final class UnsupportedTranscodingException extends Exception {
  public UnsupportedTranscodingException(String message) {
    super(message);
  }
}
