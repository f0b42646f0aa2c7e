package dev.atrium.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one query engine behind QIDO-RS and C-FIND: it validates the keys against the catalog,
 * parses each value by the matching rules of PS3.4 C.2.2.2 (one place decides what "*" or a
 * range means), and streams the index's matches to the sink.
 */
public final class QueryEngine {
  private final QueryStore index;

  public QueryEngine(QueryStore index) {
    this.index = index;
  }

  public void find(QueryRequest request, QuerySink sink) throws IOException {
    List<Criterion> criteria = new ArrayList<>();
    for (Map.Entry<Integer, String> key : request.matchKeys().entrySet()) {
      QueryAttribute attribute = attributeAt(key.getKey(), request.level());
      Criterion criterion = MatchParser.parse(attribute, key.getValue(), request.fuzzyPersonNames());
      if (criterion != null) criteria.add(criterion);
    }
    Set<QueryAttribute> returned = new LinkedHashSet<>();
    for (int tag : new TreeSet<>(request.returnKeys())) {
      QueryAttributes.byTag(tag).filter(a -> QueryAttributes.usableAt(a, request.level())).ifPresent(returned::add);
    }
    index.stream(request.partition(), request.level(), criteria, returned, request.offset(), request.limit(), sink);
  }

  private static QueryAttribute attributeAt(int tag, QueryLevel level) {
    QueryAttribute attribute = QueryAttributes.byTag(tag).orElseThrow(() ->
        new InvalidQueryException(String.format("(%04X,%04X) is not an attribute this archive can match", tag >>> 16,
            tag & 0xFFFF)));
    if (!QueryAttributes.usableAt(attribute, level)) {
      throw new InvalidQueryException(attribute.keyword() + " (" + attribute.tagHex() + ") is not searchable at "
          + level.name().toLowerCase() + " level");
    }
    return attribute;
  }
}
