package dev.atrium.index;

import java.sql.SQLException;
import org.jooq.DSLContext;
import org.jooq.TransactionalCallable;
import org.jooq.exception.DataAccessException;

/**
 * Runs a transaction, retrying when concurrent writers collide: deadlocks and lock timeouts
 * (SQLSTATE class 40, MariaDB 1205/1213) and unique-key races (class 23) when two writers
 * create the same patient, study or series at once. The retry sees the other writer's rows.
 */
final class Transactions {
  private static final int ATTEMPTS = 10;
  /** The longest pause before a retry: waits double from 2 ms, each a random part of that (jitter). */
  private static final long MAX_PAUSE_MS = 256;

  private Transactions() {}

  static <T> T withRetry(DSLContext dsl, TransactionalCallable<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return dsl.transactionResult(work);
      } catch (DataAccessException e) {
        if (attempt >= ATTEMPTS || !retryable(e)) throw e;
        try {
          // Nodes sharing one MariaDB collide in bursts (three storing one series: a few in a thousand transactions
          // ran out of eight retries a few milliseconds apart); growing, random pauses let one through at a time.
          Thread.sleep((long) (Math.random() * Math.min(MAX_PAUSE_MS, 2L << attempt)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean retryable(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    if (sql == null) return false;
    String state = sql.getSQLState();
    int code = sql.getErrorCode();
    return (state != null && (state.startsWith("40") || state.startsWith("23")))
        || code == 1205 || code == 1213 || code == 50200 /* H2 lock timeout */;
  }
}
