package dev.atrium.retrieve;

/**
 * A render request that cannot be served, with a message for the client: {@link Reason#BAD_REQUEST}
 * when the request does not fit the instance (a frame or region outside it), {@link
 * Reason#NOT_RENDERABLE} when the instance cannot be rendered here at all (no image, no codec).
 */
public final class RenderException extends Exception {
  /** Why; {@link #subject()} says which part of a bad request was wrong. */
  public enum Reason { BAD_REQUEST, NOT_RENDERABLE }

  /** The part of the request a BAD_REQUEST is about, for the protocol to name its parameter. */
  public enum Subject { FRAME, REGION, SIZE, NONE }

  private final Reason reason;
  private final Subject subject;

  RenderException(Reason reason, Subject subject, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.subject = subject;
  }

  static RenderException badRequest(Subject subject, String message) {
    return new RenderException(Reason.BAD_REQUEST, subject, message, null);
  }

  public Reason reason() {
    return reason;
  }

  public Subject subject() {
    return subject;
  }
}
