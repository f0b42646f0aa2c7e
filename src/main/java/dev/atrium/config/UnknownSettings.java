package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keys of a configuration file, and ATRIUM_* variables, that no setting has: a misspelt `strore:` or
 * ATRIUM_HTTP_PROT was ignored in silence, and the default applied. Known are the keys of the packaged default;
 * below the maps whose keys are the operator's own (AE titles, roles), anything goes.
 */
final class UnknownSettings {
  private static final Set<String> OPEN_MAPS = Set.of("moveDestinations", "dimse.remoteAes",
      "dimse.calledAePartitions", "security.roles");
  /** Variables read elsewhere than the settings tree. */
  private static final Set<String> OTHER_VARIABLES = Set.of("ATRIUM_CONFIG", "ATRIUM_MOVE_DESTINATIONS",
      "ATRIUM_LOG_LEVEL", "ATRIUM_JAVA_OPTS");

  private UnknownSettings() {}

  /** One message per key or variable unknown, naming it. */
  static List<String> find(JsonNode known, JsonNode given, Map<String, String> env) {
    Set<String> knownPaths = new TreeSet<>();
    paths(known, "", knownPaths);
    Set<String> givenPaths = new TreeSet<>();
    paths(given, "", givenPaths);
    List<String> unknown = new ArrayList<>();
    for (String path : givenPaths) {
      if (!knownPaths.contains(path)) unknown.add("configuration key '" + path + "' is not a setting; it is ignored");
    }
    Set<String> knownVariables = new TreeSet<>(OTHER_VARIABLES);
    knownPaths.forEach(path -> knownVariables.add(ConfigLoader.envName(path)));
    for (String variable : new TreeSet<>(env.keySet())) {
      boolean tooling = variable.startsWith("ATRIUM_TEST_") || variable.startsWith("ATRIUM_BENCH_");
      if (variable.startsWith("ATRIUM_") && !tooling && !knownVariables.contains(variable)) {
        unknown.add("environment variable " + variable + " is not a setting; it is ignored");
      }
    }
    return unknown;
  }

  private static void paths(JsonNode node, String prefix, Set<String> into) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (field.getValue().isObject() && !OPEN_MAPS.contains(path)) paths(field.getValue(), path, into);
      else into.add(path);
    }
  }
}
