package dev.atrium.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.Cors;
import dev.atrium.support.HeadlessChromium;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CORS as a web viewer meets it: a page served from another origin calls DICOMweb with a bearer token, in a real
 * browser (headless Chromium, which enforces the CORS protocol), and over plain HTTP for the exact answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginTest {
  private static final String AUDIENCE = "atrium";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private MockOAuth2Server idp;
  private TestArchive archive;
  private HttpServer pages;
  private Path dataDir;
  private Path work;
  private String viewerOrigin;
  private TestInstances.Uids stored;
  private long storedSize;
  private Path upload;

  @BeforeAll
  void start() throws Exception {
    idp = new MockOAuth2Server();
    idp.start();
    dataDir = Files.createTempDirectory("atrium-cors");
    work = Files.createTempDirectory("atrium-cors-work");
    pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pages.start();
    // The viewer's origin names the host "localhost"; the same page at 127.0.0.1 is another origin, not allowed.
    viewerOrigin = "http://localhost:" + pages.getAddress().getPort();
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> config
        .withHttp(config.http().withCors(new Cors(List.of(viewerOrigin), 600)))
        .withSecurity(new AtriumConfig.Security(true, idp.issuerUrl("default").toString(), AUDIENCE, "", "roles", 30,
            List.of("RS256"), Map.of("DicomDataOwner", List.of("read", "write", "delete")), 300)));
    stored = TestInstances.fresh();
    Path ct = TestInstances.ct(work, stored);
    storedSize = Files.size(ct);
    HttpResponse<String> stow = send("POST", "/dicom-web/studies", Map.of("Authorization", bearer(),
        "Content-Type", Multipart.CONTENT_TYPE), Multipart.body(ct));
    assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
    upload = TestInstances.ct(Files.createDirectories(work.resolve("upload")), TestInstances.fresh());
  }

  @AfterAll
  void stop() throws Exception {
    if (pages != null) pages.stop(0);
    if (archive != null) archive.close();
    if (idp != null) idp.shutdown();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  @Test
  void aPreflightFromTheViewersOriginIsGrantedWithoutAToken() throws Exception {
    HttpResponse<String> preflight = send("OPTIONS", "/dicom-web/studies/" + stored.study(), Map.of(
        "Origin", viewerOrigin, "Access-Control-Request-Method", "DELETE",
        "Access-Control-Request-Headers", "authorization, accept"), null);
    assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(204);
    assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(viewerOrigin);
    assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("GET", "POST", "DELETE");
    assertThat(header(preflight, "Access-Control-Allow-Headers")).isEqualTo("authorization, accept");
    assertThat(header(preflight, "Access-Control-Max-Age")).isEqualTo("600");
    assertThat(header(preflight, "Vary")).contains("Origin");
  }

  @Test
  void aPreflightFromAnotherOriginIsRefusedWithItsReason() throws Exception {
    HttpResponse<String> preflight = send("OPTIONS", "/dicom-web/studies", Map.of(
        "Origin", "https://elsewhere.example", "Access-Control-Request-Method", "GET"), null);
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.body()).contains("origin https://elsewhere.example may not make cross-origin requests");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<String> badHeader = send("OPTIONS", "/dicom-web/studies", Map.of("Origin", viewerOrigin,
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "accept, x y"), null);
    assertThat(badHeader.statusCode()).isEqualTo(403);
    assertThat(badHeader.body()).contains("'x y', which is not a header field name");
  }

  @Test
  void answersToTheViewersOriginCarryTheGrantErrorsIncluded() throws Exception {
    HttpResponse<String> anonymous = send("GET", "/dicom-web/studies", Map.of("Origin", viewerOrigin), null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(header(anonymous, "Access-Control-Allow-Origin")).isEqualTo(viewerOrigin);
    assertThat(header(anonymous, "Access-Control-Expose-Headers")).contains("WWW-Authenticate", "Warning");

    HttpResponse<String> missing = send("GET", "/dicom-web/studies/1.2.3.999", Map.of("Origin", viewerOrigin,
        "Authorization", bearer()), null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(header(missing, "Access-Control-Allow-Origin")).isEqualTo(viewerOrigin);

    // An error Jetty answers itself, before any route (an encoded '/' in a segment): the grant, once.
    HttpResponse<String> ambiguous = send("GET", "/dicom-web/studies/1.2%2F3", Map.of("Origin", viewerOrigin), null);
    assertThat(ambiguous.statusCode()).isEqualTo(400);
    assertThat(ambiguous.body()).contains("\"status\":400");
    assertThat(ambiguous.headers().allValues("Access-Control-Allow-Origin")).containsExactly(viewerOrigin);
    assertThat(ambiguous.headers().allValues("Vary")).containsExactly("Origin");

    HttpResponse<String> sameOrigin = send("GET", "/dicom-web/studies", Map.of("Authorization", bearer()), null);
    assertThat(sameOrigin.statusCode()).isEqualTo(200);
    assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(header(sameOrigin, "Vary")).contains("Origin"); // a cache must not hand it to the viewer's page

    HttpResponse<String> other = send("GET", "/dicom-web/studies", Map.of("Origin", "https://elsewhere.example",
        "Authorization", bearer()), null);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  /**
   * What OHIF does, in a browser: QIDO-RS, WADO-RS of an instance (its Accept, with '"', is preflighted), STOW-RS
   * of a file the page holds, and reading a 404's message and a 401's challenge.
   */
  @Test
  void aViewerPageOfTheAllowedOriginUsesDicomWebInABrowser() throws Exception {
    Map<String, String> results = runPage(viewerOrigin);
    assertThat(results.get("qido")).isEqualTo("200 true");
    assertThat(results.get("wado")).startsWith("200 multipart/related");
    long retrieved = Long.parseLong(results.get("wado").replaceAll(".* ", ""));
    assertThat(retrieved).isGreaterThan(storedSize); // the instance, within its multipart framing
    assertThat(results.get("stow")).isEqualTo("200");
    assertThat(results.get("missing")).startsWith("404 ").contains("no such study");
    assertThat(results.get("anonymous")).startsWith("401 Bearer realm=");
  }

  @Test
  void aPageOfAnotherOriginCannotReadTheArchive() throws Exception {
    Map<String, String> results = runPage("http://127.0.0.1:" + pages.getAddress().getPort());
    for (String call : List.of("qido", "wado", "stow", "missing", "anonymous")) {
      assertThat(results.get(call)).as(call).startsWith("error TypeError");
    }
  }

  /** Serves the viewer page at {@code origin}, lets headless Chromium run it, and returns what each call gave. */
  private Map<String, String> runPage(String origin) throws Exception {
    String name = "viewer-" + System.nanoTime();
    byte[] page = viewerPage().getBytes(StandardCharsets.UTF_8);
    pages.createContext("/" + name + ".html", exchange -> HeadlessChromium.respond(exchange, "text/html", page));
    pages.createContext("/" + name + ".dcm", exchange -> HeadlessChromium.respond(exchange, "application/dicom",
        Files.readAllBytes(upload)));
    String dom = HeadlessChromium.dumpDom(work, origin + "/" + name + ".html");
    Matcher done = Pattern.compile("<pre id=\"out\">(done\n.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertThat(done.find()).as("the page ran to its end; Chromium gave: %s", dom).isTrue();
    Map<String, String> results = new LinkedHashMap<>();
    for (String line : done.group(1).split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) results.put(line.substring(0, space), line.substring(space + 1));
    }
    return results;
  }

  /** The calls a viewer makes, each reported as "name status detail" (or "name error ..." when the fetch fails). */
  private String viewerPage() {
    String base = archive.dicomWeb(); // at 127.0.0.1: never the page's origin
    String instance = base + "/studies/" + stored.study() + "/series/" + stored.series() + "/instances/"
        + stored.sop();
    return """
        <!doctype html><html><body><pre id="out">running</pre><script>
        const token = 'Bearer %s';
        const calls = {
          qido: async () => {
            const r = await fetch('%s/studies?StudyInstanceUID=%s',
                {headers: {Accept: 'application/dicom+json', Authorization: token}});
            return r.status + ' ' + (await r.text()).includes('%s');
          },
          wado: async () => {
            const r = await fetch('%s', {headers: {Accept: 'multipart/related; type="application/dicom"',
                Authorization: token}});
            const type = r.headers.get('Content-Type').split(';')[0];
            return r.status + ' ' + type + ' ' + (await r.arrayBuffer()).byteLength;
          },
          stow: async () => {
            const file = await (await fetch(location.pathname.replace('.html', '.dcm'))).blob();
            const body = new Blob(['--%s\\r\\nContent-Type: application/dicom\\r\\n\\r\\n', file,
                '\\r\\n--%s--\\r\\n']);
            const r = await fetch('%s/studies', {method: 'POST', body: body,
                headers: {'Content-Type': '%s', Accept: 'application/dicom+json', Authorization: token}});
            return String(r.status);
          },
          missing: async () => {
            const r = await fetch('%s/studies/1.2.3.999', {headers: {Authorization: token}});
            return r.status + ' ' + (await r.json()).message;
          },
          anonymous: async () => {
            const r = await fetch('%s/studies', {headers: {Accept: 'application/dicom+json'}});
            return r.status + ' ' + r.headers.get('WWW-Authenticate');
          },
        };
        (async () => {
          const lines = ['done'];
          for (const [name, call] of Object.entries(calls)) {
            try { lines.push(name + ' ' + await call()); } catch (e) { lines.push(name + ' error ' + e); }
          }
          document.getElementById('out').textContent = lines.join('\\n');
        })();
        </script></body></html>
        """.formatted(token(), base, stored.study(), stored.study(), instance, Multipart.BOUNDARY,
        Multipart.BOUNDARY, base, Multipart.CONTENT_TYPE.replace("'", "\\'"), base, base);
  }

  private String bearer() {
    return "Bearer " + token();
  }

  private String token() {
    return idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", "viewer",
        JOSEObjectType.JWT.getType(), List.of(AUDIENCE), Map.of("roles", List.of("DicomDataOwner")), 3600)).serialize();
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
  }

  private HttpResponse<String> send(String method, String path, Map<String, String> headers, byte[] body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(archive.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
