package dev.atrium.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  private final StoredAttributes stored;

  public QueryEngine(QueryStore index, ExtendedAttributes extended, StoredAttributes stored) {
    this.index = index;
    this.catalog = new QueryCatalog(extended);
    this.stored = stored;
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
    Set<Integer> returnKeys = new TreeSet<>(request.returnKeys());
    Set<Integer> fromInstances = new TreeSet<>();
    for (int tag : returnKeys) {
      if (catalog.isStored(tag)) fromInstances.add(tag);
    }
    if (!fromInstances.isEmpty()) returnKeys.addAll(identifying(request.level())); // to find each match's instance
    Set<QueryAttribute> returned = new LinkedHashSet<>();
    for (int tag : returnKeys) {
      catalog.byTag(tag).filter(a -> QueryAttributes.usableAt(a, request.level())).ifPresent(returned::add);
    }
    QuerySink to = fromInstances.isEmpty() ? sink : withStored(request, fromInstances, sink);
    index.stream(request.partition(), request.level(), criteria, returned, request.offset(), request.limit(), to);
  }

  /** The keys that name a match's entity, from which its representative instance is found. */
  private static List<Integer> identifying(QueryLevel level) {
    return switch (level) {
      case PATIENT -> List.of(QueryAttributes.PATIENT_ID, QueryAttributes.ISSUER_OF_PATIENT_ID);
      case STUDY -> List.of(QueryAttributes.STUDY_INSTANCE_UID);
      case SERIES -> List.of(QueryAttributes.STUDY_INSTANCE_UID, QueryAttributes.SERIES_INSTANCE_UID);
      case INSTANCE -> List.of(QueryAttributes.STUDY_INSTANCE_UID, QueryAttributes.SERIES_INSTANCE_UID,
          QueryAttributes.SOP_INSTANCE_UID);
    };
  }

  /** Each match with the values of {@code tags} its instance holds added. */
  private QuerySink withStored(QueryRequest request, Set<Integer> tags, QuerySink sink) {
    return new QuerySink() {
      @Override
      public void accept(QueryMatch match) throws IOException {
        Map<Integer, StoredAttributes.Value> values = stored.of(request.partition(), request.level(), match, tags);
        if (values.isEmpty()) {
          sink.accept(match);
          return;
        }
        TreeMap<Integer, String> all = new TreeMap<>(match.values());
        Map<Integer, String> vrs = new HashMap<>();
        values.forEach((tag, value) -> {
          all.put(tag, value.value());
          vrs.put(tag, value.vr());
        });
        sink.accept(new QueryMatch(all, vrs));
      }

      @Override
      public boolean cancelled() {
        return sink.cancelled();
      }
    };
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
