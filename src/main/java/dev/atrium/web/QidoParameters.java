package dev.atrium.web;

import dev.atrium.query.InvalidQueryException;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryCatalog;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * The query string of a QIDO-RS request (PS3.18 8.3.4, 10.6.1.2): match keys by keyword or tag,
 * includefield, fuzzymatching, limit and offset; extended query tags that are ready count as
 * attributes, and includefield may name any other standard attribute but a sequence. Every fault is answered 400
 * naming the parameter.
 */
record QidoParameters(Map<Integer, String> matchKeys, Set<Integer> includeFields, boolean includeAll,
    boolean fuzzy, int limit, boolean limitGiven, int offset) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  static QidoParameters parse(Fields query, QueryCatalog catalog) {
    Map<Integer, String> keys = new LinkedHashMap<>();
    Set<Integer> include = new LinkedHashSet<>();
    boolean all = false;
    boolean fuzzy = false;
    int limit = DEFAULT_LIMIT;
    boolean limitGiven = false;
    int offset = 0;
    for (Fields.Field field : query) {
      String name = field.getName();
      List<String> values = field.getValues();
      switch (name.toLowerCase()) {
        case "includefield" -> {
          for (String value : values) {
            for (String item : value.split(",")) {
              if (item.isBlank()) continue;
              if (item.strip().equalsIgnoreCase("all")) all = true;
              else include.add(includable(catalog, item.strip()));
            }
          }
        }
        case "fuzzymatching" -> fuzzy = bool(name, single(name, values));
        case "limit" -> {
          limit = number(name, single(name, values), 1, MAX_LIMIT);
          limitGiven = true;
        }
        case "offset" -> offset = number(name, single(name, values), 0, Integer.MAX_VALUE);
        default -> {
          QueryAttribute a = attribute(catalog, name, name);
          if (keys.containsKey(a.tag())) throw new InvalidQueryException("query parameter '" + name
              + "': " + a.keyword() + " is given more than once");
          keys.put(a.tag(), single(name, values));
        }
      }
    }
    return new QidoParameters(keys, include, all, fuzzy, limit, limitGiven, offset);
  }

  /**
   * An attribute the index holds, or another standard one the stored instances may hold (PS3.18 10.6.3.3: returned
   * "if available").
   */
  private static int includable(QueryCatalog catalog, String name) {
    return catalog.byName(name).map(QueryAttribute::tag).or(() -> catalog.storedAttribute(name))
        .orElseGet(() -> attribute(catalog, "includefield", name).tag());
  }

  private static QueryAttribute attribute(QueryCatalog catalog, String parameter, String name) {
    String why = parameter.equals("includefield")
        ? "is not a standard attribute a query can return (a keyword such as SeriesDate or a tag such as 00080021; "
            + "not a sequence)"
        : catalog.storedAttribute(name).isPresent()
            ? "is not an attribute this archive matches on (it can be returned: includefield; an extended query tag "
                + "makes it searchable)"
            : "is not an attribute this archive matches on (use a keyword such as PatientID or a tag such as 00100020)";
    return catalog.byName(name).orElseThrow(() -> new InvalidQueryException("query parameter '" + parameter
        + "': '" + name + "' " + catalog.notReady(name).orElse(why)));
  }

  private static String single(String name, List<String> values) {
    if (values.size() != 1) throw new InvalidQueryException("query parameter '" + name + "' is given more than once");
    return values.get(0);
  }

  private static boolean bool(String name, String value) {
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new InvalidQueryException("query parameter '" + name + "' must be true or false, not '" + value + "'");
  }

  private static int number(String name, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException("query parameter '" + name + "' must be a number, not '" + value + "'");
    }
    if (n < min || n > max) {
      throw new InvalidQueryException("query parameter '" + name + "' must be between " + min + " and " + max
          + ", not " + n);
    }
    return n;
  }
}
