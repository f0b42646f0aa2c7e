package dev.atrium.dicom;

/**
 * A stored instance whose pixels cannot be turned into an image here: no Pixel Data, a transfer
 * syntax without a codec, a pixel format not supported. The message says which, for the client.
 */
public final class NotRenderableException extends Exception {
  public NotRenderableException(String message) {
    super(message);
  }

  public NotRenderableException(String message, Throwable cause) {
    super(message, cause);
  }
}
