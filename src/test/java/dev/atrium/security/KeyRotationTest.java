package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: the issuer rotates its signing key. Tokens signed with the new key are accepted
 * without a restart (the archive refetches the JWKS when a token names a kid it does not know),
 * and once the old key is withdrawn, tokens signed with it are refused. The issuer here is a
 * small OIDC discovery + JWKS server whose key set the test changes, as a provider's would.
 */
class KeyRotationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Short, so the withdrawal is seen within the test; the default is 300 s. */
  private static final int CACHE_SECONDS = 2;

  @Test
  void tokensSignedWithARotatedInKeyAreAcceptedAndWithAWithdrawnKeyRefused() throws Exception {
    RSAKey oldKey = new RSAKeyGenerator(2048).keyID("2026-old").generate();
    RSAKey newKey = new RSAKeyGenerator(2048).keyID("2026-new").generate();
    AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(oldKey.toPublicJWK()));
    AtomicInteger jwksFetches = new AtomicInteger();
    HttpServer issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String issuerUrl = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realm";
    issuer.createContext("/realm/.well-known/openid-configuration", exchange -> respond(exchange,
        "{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + issuerUrl + "/jwks\"}"));
    issuer.createContext("/realm/jwks", exchange -> {
      jwksFetches.incrementAndGet();
      respond(exchange, published.get().toString());
    });
    issuer.start();
    Path data = Files.createTempDirectory("atrium-rotation");
    try (TestArchive archive = new TestArchive(TestDatabase.H2, data, config -> config.withSecurity(
        new AtriumConfig.Security(true, issuerUrl, "atrium", "", "roles", 30, List.of("RS256"),
            Map.of("DicomDataReader", List.of("read")), CACHE_SECONDS)))) {
      assertThat(status(archive, token(oldKey, issuerUrl))).isEqualTo(200);

      published.set(new JWKSet(List.of(oldKey.toPublicJWK(), newKey.toPublicJWK()))); // rotation begins
      assertThat(status(archive, token(newKey, issuerUrl))).as("new key, unknown to the cache").isEqualTo(200);
      assertThat(status(archive, token(oldKey, issuerUrl))).as("old key during the overlap").isEqualTo(200);

      RSAKey stranger = new RSAKeyGenerator(2048).keyID("2026-stranger").generate();
      assertThat(status(archive, token(stranger, issuerUrl))).as("a kid the issuer never published").isEqualTo(401);
      int fetches = jwksFetches.get();
      List<String> refusals = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) refusals.add(send(archive, token(stranger, issuerUrl)).body());
      assertThat(jwksFetches.get() - fetches).as("forged kids do not make the archive refetch at will")
          .isLessThanOrEqualTo(1);
      assertThat(refusals).as("the refusal says why, not 'keys cannot be fetched: null'")
          .anyMatch(body -> body.contains("signing key '2026-stranger' is not among the issuer's keys"));

      published.set(new JWKSet(newKey.toPublicJWK())); // old key withdrawn
      Thread.sleep(CACHE_SECONDS * 1000L + 500); // the cached key set expires
      assertThat(status(archive, token(oldKey, issuerUrl))).as("old key after withdrawal").isEqualTo(401);
      assertThat(status(archive, token(newKey, issuerUrl))).isEqualTo(200);
    } finally {
      issuer.stop(0);
      TempFiles.delete(data);
    }
  }

  private static String token(RSAKey key, String issuer) throws Exception {
    Date now = new Date();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(issuer).audience("atrium")
        .subject("viewer").issueTime(now).expirationTime(new Date(now.getTime() + 600_000))
        .claim("roles", List.of("DicomDataReader")).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static int status(TestArchive archive, String token) throws Exception {
    return send(archive, token).statusCode();
  }

  private static HttpResponse<String> send(TestArchive archive, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(archive.dicomWeb() + "/studies"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
