package dev.atrium.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.config.FhirSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from an OAuth2 client-credentials grant (RFC 6749 4.4), fetched when needed and
 * again shortly before they expire, or after the FHIR server answered 401.
 */
final class OAuth2ClientCredentials implements IClientInterceptor {
  private static final Logger log = LoggerFactory.getLogger(OAuth2ClientCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration EARLY = Duration.ofSeconds(30);

  private final FhirSettings.Auth auth;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String token;
  private Instant expires = Instant.MIN;

  OAuth2ClientCredentials(FhirSettings.Auth auth) {
    this.auth = auth;
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    request.addHeader("Authorization", "Bearer " + token());
  }

  @Override
  public synchronized void interceptResponse(IHttpResponse response) {
    if (response.getStatus() == 401) token = null;
  }

  private synchronized String token() {
    if (token == null || Instant.now().isAfter(expires.minus(EARLY))) fetch();
    return token;
  }

  /** Client authentication by HTTP Basic (RFC 6749 2.3.1), which every server must support. */
  private void fetch() {
    String form = "grant_type=client_credentials"
        + (auth.scope().isEmpty() ? "" : "&scope=" + URLEncoder.encode(auth.scope(), StandardCharsets.UTF_8));
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(auth.clientId(), StandardCharsets.UTF_8)
        + ":" + URLEncoder.encode(auth.clientSecret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(auth.tokenUrl())).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .header("Authorization", "Basic " + basic)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw FhirFailure.transientFailure("token endpoint " + auth.tokenUrl() + " answered " + response.statusCode());
      }
      JsonNode body = JSON.readTree(response.body());
      String accessToken = body.path("access_token").asText("");
      if (accessToken.isEmpty()) {
        throw FhirFailure.transientFailure("token endpoint " + auth.tokenUrl() + " sent no access_token");
      }
      token = accessToken;
      long seconds = body.path("expires_in").asLong(300);
      expires = Instant.now().plusSeconds(seconds);
      log.info("FHIR access token from {}, valid for {} s", auth.tokenUrl(), seconds);
    } catch (IOException e) {
      throw FhirFailure.transientFailure("token endpoint " + auth.tokenUrl() + " unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FhirFailure.transientFailure("interrupted while fetching a token");
    }
  }
}
