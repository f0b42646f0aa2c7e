package dev.atrium.dimse;

/** An identifier that does not fit the model: answered with a failure status, the association goes on. */
final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;
  final int offendingTag;

  Refusal(int status, String message, int offendingTag) {
    super(message);
    this.status = status;
    this.offendingTag = offendingTag;
  }
}
