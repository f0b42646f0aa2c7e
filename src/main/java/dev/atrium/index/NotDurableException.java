package dev.atrium.index;

import java.io.IOException;
import org.jooq.exception.DataAccessException;

/**
 * The transaction committed (its rows are visible) but could not be forced to disk, so it may not survive a power
 * loss. Nothing it wrote may be acknowledged, and nothing it references may be removed.
 */
public final class NotDurableException extends DataAccessException {
  public NotDurableException(IOException cause) {
    super("the index committed but could not sync to disk: " + cause.getMessage(), cause);
  }
}
