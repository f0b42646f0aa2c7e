package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.config.Cors;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.HeadlessChromium;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.OhifDist;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OHIF Viewer (v3, as published on npm) in headless Chromium, on Atrium's DICOMweb from another origin: its study
 * list finds the archive's studies (QIDO-RS), and its viewer shows an image (QIDO-RS, WADO-RS metadata, frames with
 * transfer-syntax=*, decoded in the browser; series thumbnails from /thumbnail) for each transfer syntax a modality
 * commonly sends. Lossless encodings
 * of one MR image must show exactly what the uncompressed one shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OhifViewerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The file of each study, named by the encoding it shows (pydicom's test files; MR: one image, four encodings). */
  private static final Map<String, String> FIXTURES = Map.of(
      "ct", "CT_small.dcm",
      "mr", "MR_small.dcm",
      "mr-jpeg-ls", "MR_small_jpeg_ls_lossless.dcm",
      "mr-jpeg-2000", "MR_small_jp2klossless.dcm",
      "mr-rle", "MR_small_RLE.dcm",
      "rgb-jpeg-baseline", "SC_rgb_jpeg_dcmtk.dcm",
      "jpeg-12-bit", "JPEG-lossy.dcm");

  private final Map<String, String> studies = new LinkedHashMap<>();
  private final Map<String, JsonNode> shown = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<String>> reports = new ConcurrentHashMap<>();
  private TestArchive archive;
  private HttpServer viewer;
  private Path dist;
  private Path dataDir;
  private Path work;
  private String viewerOrigin;

  @BeforeAll
  void start() throws Exception {
    dist = OhifDist.get();
    dataDir = Files.createTempDirectory("atrium-ohif");
    work = Files.createTempDirectory("atrium-ohif-work");
    viewer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    viewer.createContext("/", this::serveViewer);
    viewer.createContext("/report/", this::takeReport);
    viewer.start();
    viewerOrigin = "http://localhost:" + viewer.getAddress().getPort();
    archive = new TestArchive(TestDatabase.H2, dataDir, config ->
        config.withHttp(config.http().withCors(new Cors(List.of(viewerOrigin), 600))));
    for (var fixture : FIXTURES.entrySet()) {
      TestInstances.Uids uids = TestInstances.fresh();
      String name = fixture.getKey().replace('-', ' ');
      Path file = CodecFixtures.withValues(Corpus.testFile(fixture.getValue()), work, uids, Map.of(
          "(0010,0010)", "Viewer^" + name, "(0010,0020)", "OHIF-" + fixture.getKey(), "(0008,1030)", name));
      var stow = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file));
      assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
      studies.put(fixture.getKey(), uids.study());
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (viewer != null) viewer.stop(0);
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  @Test
  void theStudyListShowsTheArchivesStudies() throws Exception {
    JsonNode list = show("/", "studyList");
    for (String fixture : FIXTURES.keySet()) {
      // OHIF writes a person name Family, Given.
      assertThat(list.path("text").asText()).as("study list").contains("Viewer, " + fixture.replace('-', ' '));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mr-jpeg-ls", "mr-jpeg-2000", "mr-rle"})
  void aLosslessEncodingShowsWhatTheUncompressedImageShows(String fixture) throws Exception {
    JsonNode uncompressed = viewImage("mr");
    JsonNode encoded = viewImage(fixture);
    assertThat(encoded.path("width").asInt()).isEqualTo(uncompressed.path("width").asInt());
    assertThat(encoded.path("height").asInt()).isEqualTo(uncompressed.path("height").asInt());
    assertThat(maxDifference(encoded.path("cells"), uncompressed.path("cells"))).as(fixture + " against MR_small")
        .isLessThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ct", "mr", "jpeg-12-bit"})
  void aGrayscaleImageIsShown(String fixture) throws Exception {
    JsonNode image = viewImage(fixture);
    long grays = cells(image).stream().map(c -> c[0] / 8).distinct().count();
    assertThat(grays).as("distinct gray levels among the viewport's cells").isGreaterThan(8);
    assertThat(cells(image)).allMatch(c -> Math.abs(c[0] - c[1]) <= 2 && Math.abs(c[1] - c[2]) <= 2, "gray");
    // The series thumbnail beside it: Atrium's /thumbnail (PS3.18 10.4.1.1.4), as OHIF's thumbnail rendering asks.
    JsonNode thumbnail = image.path("thumbnail");
    assertThat(thumbnail.path("width").asInt()).as("thumbnail: %s", thumbnail).isGreaterThan(0);
    assertThat(thumbnail.path("grays").asInt()).as("gray levels in the thumbnail").isGreaterThan(8);
  }

  /** SC_rgb_jpeg_dcmtk: bands of red, green and blue (and their paler tints) over gray ones. */
  @Test
  void aColourJpegShowsItsColours() throws Exception {
    List<int[]> cells = cells(viewImage("rgb-jpeg-baseline"));
    assertThat(cells).anyMatch(c -> c[0] > 200 && c[1] < 60 && c[2] < 60, "red");
    assertThat(cells).anyMatch(c -> c[1] > 200 && c[0] < 60 && c[2] < 60, "green");
    assertThat(cells).anyMatch(c -> c[2] > 200 && c[0] < 60 && c[1] < 60, "blue");
  }

  /** What the viewer shows of a fixture's study (once per fixture: the MR is every lossless encoding's reference). */
  private JsonNode viewImage(String fixture) throws Exception {
    JsonNode seen = shown.get(fixture);
    if (seen != null) return seen;
    JsonNode image = show("/viewer?StudyInstanceUIDs=" + studies.get(fixture), "viewport");
    assertThat(image.path("timeout").asBoolean()).as("OHIF showed no image of %s in 90 s: %s", fixture, image)
        .isFalse();
    shown.put(fixture, image);
    return image;
  }

  /** Opens {@code path} of the viewer in Chromium, in a page of ours that watches it and reports what it shows. */
  private JsonNode show(String path, String watch) throws Exception {
    String run = "run" + System.nanoTime();
    CompletableFuture<String> report = new CompletableFuture<>();
    reports.put(run, report);
    Process chromium = HeadlessChromium.open(work, viewerOrigin + "/atrium-watch.html?run=" + run + "&watch=" + watch
        + "&path=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8), 1400, 900);
    try {
      return JSON.readTree(report.get(150, TimeUnit.SECONDS));
    } finally {
      chromium.descendants().forEach(ProcessHandle::destroyForcibly);
      chromium.destroyForcibly().waitFor();
    }
  }

  private static List<int[]> cells(JsonNode image) {
    List<int[]> cells = new java.util.ArrayList<>();
    image.path("cells").forEach(c -> cells.add(new int[] {c.get(0).asInt(), c.get(1).asInt(), c.get(2).asInt()}));
    assertThat(cells).as("cells of the viewport").isNotEmpty();
    return cells;
  }

  private static int maxDifference(JsonNode a, JsonNode b) {
    assertThat(a.size()).isEqualTo(b.size());
    int max = 0;
    for (int i = 0; i < a.size(); i++) {
      for (int c = 0; c < 3; c++) max = Math.max(max, Math.abs(a.get(i).get(c).asInt() - b.get(i).get(c).asInt()));
    }
    return max;
  }

  /** OHIF's files, its configuration pointing at the archive, and our watching page; every other path is the app. */
  private void serveViewer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/app-config.js")) {
      HeadlessChromium.respond(exchange, "application/javascript", appConfig().getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (path.equals("/atrium-watch.html")) {
      HeadlessChromium.respond(exchange, "text/html", watchPage().getBytes(StandardCharsets.UTF_8));
      return;
    }
    Path file = dist.resolve(path.substring(1)).normalize();
    if (!file.startsWith(dist) || !Files.isRegularFile(file)) file = dist.resolve("index.html"); // the app's routes
    HeadlessChromium.respond(exchange, contentType(file.getFileName().toString()), Files.readAllBytes(file));
  }

  private void takeReport(HttpExchange exchange) throws IOException {
    String run = exchange.getRequestURI().getPath().substring("/report/".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    HeadlessChromium.respond(exchange, "text/plain", new byte[0]);
    CompletableFuture<String> report = reports.get(run);
    if (report != null) report.complete(body);
  }

  private static String contentType(String name) {
    if (name.endsWith(".js")) return "application/javascript";
    if (name.endsWith(".wasm")) return "application/wasm";
    if (name.endsWith(".css")) return "text/css";
    if (name.endsWith(".html")) return "text/html";
    if (name.endsWith(".json")) return "application/json";
    if (name.endsWith(".svg")) return "image/svg+xml";
    return "application/octet-stream";
  }

  /** The sample configuration a user is given (samples/ohif-app-config.js), pointed at this archive. */
  private String appConfig() throws IOException {
    return Files.readString(Path.of("samples", "ohif-app-config.js"), StandardCharsets.UTF_8)
        .replace("http://localhost:8080", archive.baseUrl());
  }

  /**
   * Shows the viewer's page in a frame (same origin, so readable) and reports, once it holds still for 1.5 s, either
   * the study list's text or the viewport canvas: its size and the mean colour of each of 24 × 24 cells.
   */
  private static String watchPage() {
    return """
        <!doctype html><html><body style="margin:0"><iframe id="app" style="width:1400px;height:900px;border:0">
        </iframe><script>
        const query = new URLSearchParams(location.search);
        const frame = document.getElementById('app');
        frame.src = query.get('path');
        const started = Date.now();
        let previous = null, stableSince = 0;
        function viewport(doc) {
          const canvas = doc.querySelector('canvas.cornerstone-canvas');
          const context = canvas && canvas.width > 0 ? canvas.getContext('2d') : null;
          if (!context) return null;
          const {width, height} = canvas;
          const data = context.getImageData(0, 0, width, height).data;
          const n = 24, cells = [];
          let lit = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 30) lit++;
          for (let gy = 0; gy < n; gy++) for (let gx = 0; gx < n; gx++) {
            let r = 0, g = 0, b = 0, count = 0;
            for (let y = Math.floor(gy * height / n); y < Math.floor((gy + 1) * height / n); y++) {
              for (let x = Math.floor(gx * width / n); x < Math.floor((gx + 1) * width / n); x++) {
                const i = (y * width + x) * 4;
                r += data[i]; g += data[i + 1]; b += data[i + 2]; count++;
              }
            }
            cells.push([Math.round(r / count), Math.round(g / count), Math.round(b / count)]);
          }
          return lit > 0 ? {width, height, lit, cells, thumbnail: thumbnail(doc)} : null;
        }
        function thumbnail(doc) {
          const image = doc.querySelector('img[src^="blob:"]');
          if (!image || !image.complete || image.naturalWidth === 0) return null;
          const canvas = document.createElement('canvas');
          canvas.width = image.naturalWidth;
          canvas.height = image.naturalHeight;
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
          const grays = new Set();
          for (let i = 0; i < data.length; i += 4) grays.add(data[i]);
          return {width: canvas.width, height: canvas.height, grays: grays.size};
        }
        function studyList(doc) {
          const text = doc.body ? doc.body.innerText : '';
          return text.includes('Viewer, ') ? {text} : null;
        }
        function poll() {
          let state = null;
          try { state = (query.get('watch') === 'viewport' ? viewport : studyList)(frame.contentDocument); }
          catch (e) { state = null; }
          const key = state ? JSON.stringify(state) : null;
          if (key !== null && key === previous) {
            if (Date.now() - stableSince > 1500) return report(key);
          } else {
            previous = key;
            stableSince = Date.now();
          }
          if (Date.now() - started > 90000) return report(JSON.stringify({timeout: true, last: state}));
          setTimeout(poll, 300);
        }
        function report(body) {
          fetch('/report/' + query.get('run'), {method: 'POST', body});
        }
        poll();
        </script></body></html>
        """;
  }
}
