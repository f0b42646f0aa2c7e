package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code fhir:} section: DICOMcast, keeping a FHIR R4 server in step with the archive.
 * Partitions share {@code baseUrl} unless {@code partitions} maps them to their own server or tenant.
 */
public record FhirSettings(boolean enabled, String baseUrl, String endpointBaseUrl, Auth auth, int batchSize,
    int pollIntervalMs, OnLastInstanceDeleted onLastInstanceDeleted, Map<String, String> partitionBaseUrls) {

  public enum AuthType { NONE, BASIC, OAUTH2_CLIENT_CREDENTIALS }

  /** Credentials for the FHIR server: HTTP Basic, or an OAuth2 client-credentials token (RFC 6749 4.4). */
  public record Auth(AuthType type, String username, String password, String tokenUrl, String clientId,
      String clientSecret, String scope) {}

  /** What becomes of an ImagingStudy whose last instance was deleted. */
  public enum OnLastInstanceDeleted { ENTERED_IN_ERROR, DELETE }

  /** The FHIR base URL that holds a partition's resources. */
  public String baseUrlFor(String partition) {
    return partitionBaseUrls.getOrDefault(partition, baseUrl);
  }

  public FhirSettings withBaseUrl(String url) {
    return new FhirSettings(enabled, url, endpointBaseUrl, auth, batchSize, pollIntervalMs, onLastInstanceDeleted,
        partitionBaseUrls);
  }

  static FhirSettings read(ConfigReader r, JsonNode root) {
    boolean enabled = bool(r, "fhir.enabled");
    String baseUrl = url(r.text("fhir.baseUrl"), "fhir.baseUrl", enabled);
    Auth auth = new Auth(authType(r.text("fhir.auth.type")), r.text("fhir.auth.username"),
        r.text("fhir.auth.password"), url(r.text("fhir.auth.tokenUrl"), "fhir.auth.tokenUrl", false),
        r.text("fhir.auth.clientId"), r.text("fhir.auth.clientSecret"), r.text("fhir.auth.scope"));
    if (enabled && auth.type() == AuthType.OAUTH2_CLIENT_CREDENTIALS
        && (auth.tokenUrl().isEmpty() || auth.clientId().isEmpty())) {
      throw new ConfigException("fhir.auth.type oauth2-client-credentials needs fhir.auth.tokenUrl and "
          + "fhir.auth.clientId");
    }
    return new FhirSettings(enabled, baseUrl, url(r.text("fhir.endpointBaseUrl"), "fhir.endpointBaseUrl", false),
        auth, r.positiveInt("fhir.batchSize"), r.positiveInt("fhir.pollIntervalMs"),
        onLastInstanceDeleted(r.text("fhir.onLastInstanceDeleted")), partitions(root.path("fhir").path("partitions")));
  }

  private static boolean bool(ConfigReader r, String path) {
    String value = r.text(path).trim();
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) return Boolean.parseBoolean(value);
    throw new ConfigException(path + " must be true or false, not '" + value + "'");
  }

  /** An http(s) URL without a trailing slash; empty stays empty unless {@code required}. */
  private static String url(String value, String path, boolean required) {
    String url = value.trim();
    while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    if (url.isEmpty()) {
      if (required) throw new ConfigException(path + " is required when fhir.enabled is true");
      return url;
    }
    try {
      URI uri = URI.create(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return url;
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new ConfigException(path + " must be an http(s) URL, not '" + value + "'");
  }

  private static AuthType authType(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "none", "" -> AuthType.NONE;
      case "basic" -> AuthType.BASIC;
      case "oauth2-client-credentials" -> AuthType.OAUTH2_CLIENT_CREDENTIALS;
      default -> throw new ConfigException("fhir.auth.type must be none, basic or oauth2-client-credentials, not '"
          + value + "'");
    };
  }

  private static OnLastInstanceDeleted onLastInstanceDeleted(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "entered-in-error" -> OnLastInstanceDeleted.ENTERED_IN_ERROR;
      case "delete" -> OnLastInstanceDeleted.DELETE;
      default -> throw new ConfigException("fhir.onLastInstanceDeleted must be entered-in-error or delete, not '"
          + value + "'");
    };
  }

  /** A YAML mapping, or "PARTITION=url,OTHER=url" (the form ATRIUM_FHIR_PARTITIONS can carry). */
  private static Map<String, String> partitions(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> map.put(e.getKey(), url(e.getValue().asText(),
          "fhir.partitions." + e.getKey(), true)));
    } else if (!node.isMissingNode() && !node.isNull()) {
      for (String entry : node.asText().split(",")) {
        if (entry.isBlank()) continue;
        int eq = entry.indexOf('=');
        if (eq <= 0) throw new ConfigException("fhir.partitions entry '" + entry + "' is not PARTITION=url");
        String partition = entry.substring(0, eq).trim();
        map.put(partition, url(entry.substring(eq + 1), "fhir.partitions." + partition, true));
      }
    }
    return Collections.unmodifiableMap(map);
  }
}
