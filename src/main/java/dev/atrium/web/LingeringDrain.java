package dev.atrium.web;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Completes a refused request only once the client has stopped sending its body: what arrives after the answer is
 * read and dropped as it comes, with no thread waiting for it, up to a bound. A connection closed with a body still
 * arriving is reset, and a client still writing its body then sees the reset instead of the answer, which was sent
 * first (RFC 9112 9.6: a server closes the sending side first and goes on reading for a while). The idle timeout
 * ends a client that stalls.
 */
final class LingeringDrain implements Callback, Runnable {
  private final Request request;
  private final Callback done;
  private final long maxBytes;
  private long drained;

  /** A callback for the answer's last write: once it is sent, the body is drained, then {@code done} completes. */
  LingeringDrain(Request request, Callback done, long maxBytes) {
    this.request = request;
    this.done = done;
    this.maxBytes = maxBytes;
  }

  @Override
  public void succeeded() {
    run();
  }

  @Override
  public void failed(Throwable failure) {
    done.failed(failure);
  }

  /** Reads what has arrived; asks to be called again when more does. */
  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) { // the idle timeout, or the client went away: nothing more to wait for
        done.succeeded();
        return;
      }
      drained += chunk.getByteBuffer().remaining();
      boolean last = chunk.isLast();
      chunk.release();
      if (last || drained > maxBytes) {
        done.succeeded();
        return;
      }
    }
  }
}
