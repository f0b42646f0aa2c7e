package dev.atrium.index;

import org.jooq.exception.DataAccessException;

/** What the protocol adapters may ask of an index failure, without knowing the database layer. */
public final class IndexFailure {
  private IndexFailure() {}

  /** The index took the change but could not make it durable (a full disk): it may not survive a crash. */
  public static boolean notDurable(Throwable failure) {
    return failure instanceof NotDurableException;
  }

  /** The index could not be reached or used (its database down, closed, or out of space). */
  public static boolean unavailable(Throwable failure) {
    return failure instanceof DataAccessException;
  }
}
