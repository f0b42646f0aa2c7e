package dev.atrium.query;

/** A query the engine cannot run; the message names the offending key and says why. */
public final class InvalidQueryException extends IllegalArgumentException {
  public InvalidQueryException(String message) {
    super(message);
  }
}
