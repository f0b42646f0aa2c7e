package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The access-control parts of the configuration: the security section and DIMSE's known AEs. */
final class SecurityConfigReader {
  private static final Set<String> DIMSE_SERVICES = Set.of("echo", "store", "find", "move", "get");

  private SecurityConfigReader() {}

  static AtriumConfig.Security security(ConfigReader r, JsonNode node) {
    boolean enabled = r.bool("security.enabled", false);
    List<String> algorithms = ConfigReader.list(node.path("algorithms"));
    for (String algorithm : algorithms) {
      // An HMAC key would be a secret shared with every client; "none" is no signature at all.
      if (algorithm.equalsIgnoreCase("none") || algorithm.toUpperCase(Locale.ROOT).startsWith("HS")) {
        throw new ConfigException("security.algorithms: " + algorithm + " is not allowed (use RS*, PS* or ES*)");
      }
    }
    Map<String, List<String>> roles = new LinkedHashMap<>();
    node.path("roles").fields().forEachRemaining(e -> roles.put(e.getKey(), ConfigReader.list(e.getValue())));
    AtriumConfig.Security security = new AtriumConfig.Security(enabled, r.textOr("security.issuer", ""),
        r.textOr("security.audience", ""), r.textOr("security.jwksUrl", ""), r.textOr("security.rolesClaim", "roles"),
        r.intOr("security.clockSkewSeconds", 60, 0), List.copyOf(algorithms),
        Collections.unmodifiableMap(roles), r.intOr("security.jwksCacheSeconds", 300, 2));
    if (enabled && (security.issuer().isEmpty() || security.audience().isEmpty() || algorithms.isEmpty())) {
      throw new ConfigException("security.enabled needs security.issuer, security.audience and security.algorithms");
    }
    return security;
  }

  static Map<String, AtriumConfig.KnownAe> remoteAes(ConfigReader r, JsonNode dimse) {
    Map<String, AtriumConfig.KnownAe> known = new LinkedHashMap<>();
    dimse.path("remoteAes").fields().forEachRemaining(e -> {
      String ae = e.getKey();
      List<String> hosts = ConfigReader.list(e.getValue().path("hosts"));
      Set<String> services = new LinkedHashSet<>();
      for (String service : ConfigReader.list(e.getValue().path("services"))) {
        String name = service.toLowerCase(Locale.ROOT);
        if (!DIMSE_SERVICES.contains(name)) {
          throw new ConfigException("dimse.remoteAes." + ae + ".services: unknown service '" + service
              + "' (echo, store, find, move, get)");
        }
        services.add(name);
      }
      boolean certified = ConfigReader.bool("dimse.remoteAes." + ae + ".certified", e.getValue().path("certified"), false);
      known.put(ae, new AtriumConfig.KnownAe(ae, List.copyOf(hosts), Set.copyOf(services), certified));
    });
    return Collections.unmodifiableMap(known);
  }

  static AtriumConfig.ClientAuth clientAuth(String value) {
    try {
      return AtriumConfig.ClientAuth.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("dimse.tlsClientAuth must be none, want or need, not '" + value + "'");
    }
  }

  static Map<String, String> calledAePartitions(ConfigReader r, JsonNode dimse) {
    Map<String, String> partitions = new LinkedHashMap<>();
    dimse.path("calledAePartitions").fields().forEachRemaining(e -> partitions.put(e.getKey(), e.getValue().asText()));
    return Collections.unmodifiableMap(partitions);
  }
}
