package dev.atrium.store;

import java.io.IOException;

/** Reading the client's bytes failed (cut-off body, broken multipart, lost association). */
public final class IncompleteInputException extends IOException {
  public IncompleteInputException(IOException cause) {
    super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
  }
}
