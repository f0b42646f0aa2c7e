package dev.atrium.web;

import java.io.IOException;

/**
 * Thrown while a HEAD's content is counted, once it has passed what the GET would hold back before sending its
 * first byte: the GET's status is then settled (a later failure would only cut its body short), so the rest of the
 * content is not made. Only a body that holds back that much ({@link Exchange#respond}, {@link DirectBody}) throws it.
 */
final class HeadSettled extends IOException {
  HeadSettled() {
    super("a HEAD's status is settled", null);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
