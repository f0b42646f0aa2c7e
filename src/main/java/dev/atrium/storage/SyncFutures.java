package dev.atrium.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for an fsync run in the background; its failure is the waiter's. */
public final class SyncFutures {
  private SyncFutures() {}

  /** Returns once {@code sync} has finished; throws its IOException (or wraps another failure). */
  public static void await(Future<?> sync, String what) throws IOException {
    try {
      sync.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for " + what);
    }
  }
}
