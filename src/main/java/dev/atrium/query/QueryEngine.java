package dev.atrium.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one query engine behind QIDO-RS and C-FIND: it validates the keys against the catalog
 * (standard attributes and ready extended query tags), parses each value by the matching rules
 * of PS3.4 C.2.2.2 (one place decides what "*" or a range means), and streams the index's
 * matches to the sink.
 */
public final class QueryEngine {
  private final QueryStore index;
  private final QueryCatalog catalog;

  public QueryEngine(QueryStore index, ExtendedAttributes extended) {
    this.index = index;
    this.catalog = new QueryCatalog(extended);
  }

  /** What the protocol adapters may name in a query. */
  public QueryCatalog catalog() {
    return catalog;
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
      catalog.byTag(tag).filter(a -> QueryAttributes.usableAt(a, request.level())).ifPresent(returned::add);
    }
    index.stream(request.partition(), request.level(), criteria, returned, request.offset(), request.limit(), sink);
  }

  /**
   * The extended query tags among {@code matchKeys} that had indexing errors but were enabled for
   * querying anyway: their results may miss instances (the Azure DICOM service names them in
   * the erroneous-dicom-attributes header).
   */
  public List<String> erroneousAttributes(Collection<Integer> matchKeys) {
    return matchKeys.stream().sorted().map(catalog::byTag).flatMap(java.util.Optional::stream)
        .filter(a -> a.extended() && a.extension().hasErrors()).map(QueryAttribute::keyword).toList();
  }

  private QueryAttribute attributeAt(int tag, QueryLevel level) {
    QueryAttribute attribute = catalog.byTag(tag).orElseThrow(() ->
        new InvalidQueryException(String.format("(%04X,%04X) is not an attribute this archive can match", tag >>> 16,
            tag & 0xFFFF)));
    if (!QueryAttributes.usableAt(attribute, level)) {
      throw new InvalidQueryException(attribute.keyword() + " (" + attribute.tagHex() + ") is not searchable at "
          + level.name().toLowerCase() + " level");
    }
    if (attribute.extended() && !attribute.extension().queryEnabled()) {
      // The Azure DICOM service's answer for an extended query tag whose QueryStatus is Disabled.
      throw new InvalidQueryException("Query is disabled on specified attribute '" + attribute.keyword()
          + "' (an extended query tag; PATCH its QueryStatus to Enabled to query it)");
    }
    return attribute;
  }
}
