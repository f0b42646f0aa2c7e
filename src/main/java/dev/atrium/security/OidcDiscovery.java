package dev.atrium.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The issuer's JWKS address from its OpenID Connect discovery document (OIDC Discovery 1.0 section 4). */
final class OidcDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private OidcDiscovery() {}

  static URL jwksUri(String issuer) throws IOException {
    URI document = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(document).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(document + " answered " + response.statusCode());
      }
      JsonNode jwks = JSON.readTree(response.body()).path("jwks_uri");
      if (!jwks.isTextual()) throw new IOException(document + " has no jwks_uri");
      return URI.create(jwks.asText()).toURL();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted fetching " + document, e);
    } catch (IllegalArgumentException e) {
      throw new IOException(document + ": " + e.getMessage(), e);
    }
  }
}
