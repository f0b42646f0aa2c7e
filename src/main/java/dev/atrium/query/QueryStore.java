package dev.atrium.query;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** Where matches come from: the index implements it (and is the only place that knows SQL). */
public interface QueryStore {
  /** Streams entities of {@code level} matching all criteria, in a stable order, to the sink. */
  void stream(String partition, QueryLevel level, List<Criterion> criteria, Set<QueryAttribute> returned,
      int offset, int limit, QuerySink sink) throws IOException;
}
