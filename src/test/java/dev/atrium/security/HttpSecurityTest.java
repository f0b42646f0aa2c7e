package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #6: bearer tokens from a real OpenID Connect provider (mock-oauth2-server, started here,
 * signing real tokens with keys it publishes in its JWKS) against a real archive over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpSecurityTest {
  private static final String AUDIENCE = "atrium";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private MockOAuth2Server idp;
  private TestArchive archive;
  private Path dataDir;
  private Path work;
  private TestInstances.Uids stored;

  @BeforeAll
  void start() throws Exception {
    idp = new MockOAuth2Server();
    idp.start();
    dataDir = Files.createTempDirectory("atrium-security");
    work = Files.createTempDirectory("atrium-security-work");
    String issuer = idp.issuerUrl("default").toString();
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> config.withSecurity(new AtriumConfig.Security(true,
        issuer, AUDIENCE, "", "roles", 30, List.of("RS256", "ES256"), Map.of(
            "DicomDataOwner", List.of("read", "write", "delete", "manageExtendedQueryTags", "admin"),
            "DicomDataReader", List.of("read"),
            "Uploader", List.of("write")), 300)));
    stored = TestInstances.fresh();
    HttpResponse<String> stow = send("POST", "/dicom-web/studies", token("DicomDataOwner"),
        Multipart.body(TestInstances.ct(work, stored)));
    assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    if (idp != null) idp.shutdown();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  // ---- every role x endpoint cell ----

  /** An endpoint, the action it needs, and whether it is archive-wide (unreachable for partition-scoped roles). */
  record Endpoint(String method, String path, Action needs, boolean archiveWide) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  List<Endpoint> endpoints() {
    String study = "/dicom-web/studies/" + stored.study();
    String series = study + "/series/" + stored.series();
    String instance = series + "/instances/" + stored.sop();
    return List.of(
        new Endpoint("GET", "/dicom-web/studies", Action.READ, false),
        new Endpoint("GET", "/dicom-web/series", Action.READ, false),
        new Endpoint("GET", study + "/instances", Action.READ, false),
        new Endpoint("GET", study, Action.READ, false),
        new Endpoint("GET", series, Action.READ, false),
        new Endpoint("GET", instance, Action.READ, false),
        new Endpoint("GET", study + "/metadata", Action.READ, false),
        new Endpoint("GET", instance + "/metadata", Action.READ, false),
        new Endpoint("GET", "/dicom-web/changefeed", Action.READ, false),
        new Endpoint("GET", "/dicom-web/v2/changefeed", Action.READ, false),
        new Endpoint("GET", "/dicom-web/changefeed/latest", Action.READ, false),
        new Endpoint("POST", "/dicom-web/studies", Action.WRITE, false),
        new Endpoint("POST", study, Action.WRITE, false),
        new Endpoint("PUT", "/dicom-web/studies", Action.WRITE, false),
        new Endpoint("DELETE", "/dicom-web/studies/1.2.3.4.5.6.7.8.9", Action.DELETE, false),
        new Endpoint("GET", "/dicom-web/partitions", Action.ADMIN, true),
        new Endpoint("GET", "/dicom-web/extendedquerytags", Action.READ, true),
        new Endpoint("POST", "/dicom-web/extendedquerytags", Action.MANAGE_EXTENDED_QUERY_TAGS, true),
        new Endpoint("DELETE", "/dicom-web/extendedquerytags/00101002", Action.MANAGE_EXTENDED_QUERY_TAGS, true),
        new Endpoint("GET", "/dicom-web/operations/00000000000000000000000000000000", Action.ADMIN, true),
        new Endpoint("GET", "/fhir-sync", Action.ADMIN, true),
        new Endpoint("GET", "/metrics", Action.ADMIN, true),
        new Endpoint("GET", "/wado?requestType=WADO&studyUID=" + stored.study() + "&seriesUID=" + stored.series()
            + "&objectUID=" + stored.sop(), Action.READ, false),
        new Endpoint("GET", instance + "/rendered", Action.READ, false),
        new Endpoint("GET", instance + "/frames/1", Action.READ, false));
  }

  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of("no roles", List.of(), Set.of(), false),
        Arguments.of("DicomDataReader", List.of("DicomDataReader"), Set.of(Action.READ), false),
        Arguments.of("DicomDataOwner", List.of("DicomDataOwner"), Set.of(Action.values()), false),
        Arguments.of("site role Uploader", List.of("Uploader"), Set.of(Action.WRITE), false),
        Arguments.of("unknown role", List.of("Radiologist"), Set.of(), false),
        // Scoped to another partition: nothing in the default one, nothing archive-wide.
        Arguments.of("DicomDataOwner@cardiology", List.of("DicomDataOwner@cardiology"), Set.of(), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roles")
  void eachRoleReachesExactlyTheEndpointsOfItsActions(String name, List<String> roles, Set<Action> allowed,
      boolean scopedElsewhere) throws Exception {
    String token = token(roles.toArray(String[]::new));
    List<String> wrong = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      byte[] body = !endpoint.method().equals("POST") ? null
          : endpoint.path().contains("extendedquerytags") ? "[]".getBytes(StandardCharsets.UTF_8)
          : Multipart.body(List.of());
      HttpResponse<String> response = send(endpoint.method(), endpoint.path(), token, body);
      boolean permitted = allowed.contains(endpoint.needs());
      int status = response.statusCode();
      if (permitted ? status == 401 || status == 403 : status != 403) {
        wrong.add(endpoint + " -> " + status + " " + response.body());
      }
      if (!permitted && status == 403) {
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
            .as("RFC 6750 challenge of %s", endpoint).contains("error=\"insufficient_scope\"");
      }
    }
    assertThat(wrong).as("endpoints answered against the role's actions").isEmpty();
  }

  @Test
  void aRoleScopedToAPartitionActsThereOnly() throws Exception {
    String cardiologyOwner = token("DicomDataOwner@cardiology");
    TestInstances.Uids uids = TestInstances.fresh();
    byte[] body = Multipart.body(TestInstances.ct(work, uids));
    assertThat(send("POST", "/dicom-web/partitions/cardiology/studies", cardiologyOwner, body).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/dicom-web/partitions/cardiology/studies/" + uids.study(), cardiologyOwner, null)
        .statusCode()).isEqualTo(200);
    assertThat(send("GET", "/dicom-web/partitions/radiology/studies", cardiologyOwner, null).statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/dicom-web/studies", cardiologyOwner, body).statusCode()).isEqualTo(403);
  }

  @Test
  void healthStaysOpen() throws Exception {
    assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenFromTheProvidersTokenEndpointWorks() throws Exception {
    // The client-credentials grant, as a backend (an AI pipeline) gets its token.
    idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "pipeline", JOSEObjectType.JWT.getType(),
        List.of(AUDIENCE), Map.of("roles", List.of("DicomDataReader")), 3600));
    HttpResponse<String> tokenResponse = HTTP.send(HttpRequest.newBuilder(idp.tokenEndpointUrl("default").uri())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("pipeline:secret".getBytes()))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=atrium")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
    String accessToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenResponse.body())
        .path("access_token").asText();
    assertThat(send("GET", "/dicom-web/studies", accessToken, null).statusCode()).isEqualTo(200);
  }

  // ---- tokens that must not pass ----

  @Test
  void noTokenGets401WithABearerChallenge() throws Exception {
    HttpResponse<String> response = send("GET", "/dicom-web/studies", null, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        challenge -> assertThat(challenge).startsWith("Bearer realm=\"atrium\""));
    assertThat(response.body()).contains("no bearer token");
    // Not even whether a path exists is told.
    assertThat(send("GET", "/dicom-web/nothing-here", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    SignedJWT expired = idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", "someone",
        JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of("roles", List.of("DicomDataOwner")), -3600));
    assertRefused(expired.serialize(), "expired");
  }

  @Test
  void tokenNotYetValidIsRefused() throws Exception {
    long inAnHour = System.currentTimeMillis() / 1000 + 3600;
    SignedJWT early = idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", "someone",
        JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of("roles", List.of("DicomDataOwner"), "nbf", inAnHour),
        7200));
    assertThat(early.getJWTClaimsSet().getNotBeforeTime()).as("the provider kept our nbf").isInTheFuture();
    assertRefused(early.serialize(), "before use");
  }

  @Test
  void wrongAudienceIsRefused() throws Exception {
    SignedJWT token = idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", "someone",
        JOSEObjectType.JWT.getType(), List.of("some-other-api"), Map.of("roles", List.of("DicomDataOwner")), 3600));
    assertRefused(token.serialize(), "aud");
  }

  @Test
  void wrongIssuerIsRefused() throws Exception {
    // A real token of the same provider, but of another issuer (tenant) with its own keys.
    SignedJWT token = idp.issueToken("other-tenant", "client", new DefaultOAuth2TokenCallback("other-tenant",
        "someone", JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of("roles", List.of("DicomDataOwner")),
        3600));
    assertRefused(token.serialize(), null);
  }

  @Test
  void tamperedTokenIsRefused() throws Exception {
    String[] parts = token("DicomDataReader").split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("DicomDataReader", "DicomDataOwner");
    String tampered = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertRefused(tampered, "signature");
  }

  @Test
  void unsignedTokenIsRefused() throws Exception {
    assertRefused(new PlainJWT(validClaims()).serialize(), "unsigned token (alg none)");
  }

  @Test
  void hmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    // The classic confusion attack: HS256 with the issuer's public RSA key as the shared secret.
    JWKSet published = JWKSet.load(new URL(idp.jwksUrl("default").toString()));
    byte[] publicKey = ((RSAKey) published.getKeys().get(0)).toRSAPublicKey().getEncoded();
    byte[] secret = publicKey.length >= 32 ? publicKey : java.util.Arrays.copyOf(publicKey, 32);
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(published.getKeys().get(0).getKeyID()).build(), validClaims());
    forged.sign(new MACSigner(secret));
    assertRefused(forged.serialize(), null);
  }

  @Test
  void tokenSignedWithAnUnknownKeyIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("not-a-key-of-the-issuer").generate();
    SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID())
        .type(JOSEObjectType.JWT).build(), validClaims());
    token.sign(new RSASSASigner(stranger));
    assertRefused(token.serialize(), null);
  }

  @Test
  void garbageAndWrongSchemeAreRefused() throws Exception {
    assertRefused("not.a.jwt", null);
    HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(URI.create(archive.baseUrl() + "/dicom-web/studies"))
        .header("Authorization", "Basic dXNlcjpwYXNz").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(basic.statusCode()).isEqualTo(401);
  }

  // ---- helpers ----

  private JWTClaimsSet validClaims() {
    Date now = new Date();
    return new JWTClaimsSet.Builder().issuer(idp.issuerUrl("default").toString()).audience(AUDIENCE)
        .subject("forger").issueTime(now).expirationTime(new Date(now.getTime() + 3_600_000))
        .claim("roles", List.of("DicomDataOwner")).build();
  }

  private void assertRefused(String token, String reasonFragment) throws Exception {
    HttpResponse<String> response = send("GET", "/dicom-web/studies", token, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    assertThat(challenge).contains("error=\"invalid_token\"").contains("error_description=");
    if (reasonFragment != null) assertThat(challenge.toLowerCase()).contains(reasonFragment.toLowerCase());
  }

  private String token(String... roles) {
    return idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", "user-" + String.join("+",
        roles), JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of("roles", List.of(roles)), 3600)).serialize();
  }

  private HttpResponse<String> send(String method, String path, String token, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(archive.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) request.header("Content-Type", Multipart.CONTENT_TYPE);
    if (token != null) request.header("Authorization", "Bearer " + token);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
