package dev.atrium.web;

/** A client-visible failure: HTTP status plus a message that says what was wrong. */
final class HttpProblem extends RuntimeException {
  private final int status;

  HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
