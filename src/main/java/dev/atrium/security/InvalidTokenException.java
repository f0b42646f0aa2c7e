package dev.atrium.security;

/** A bearer token that cannot be trusted; the message says why (it becomes error_description). */
public class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message);
  }
}
