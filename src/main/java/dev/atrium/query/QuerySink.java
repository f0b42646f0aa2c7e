package dev.atrium.query;

import java.io.IOException;

/** Receives matches as the index streams them; memory stays flat whatever the result size. */
public interface QuerySink {
  void accept(QueryMatch match) throws IOException;

  /** Checked between matches: true stops the query (C-CANCEL). */
  default boolean cancelled() {
    return false;
  }
}
