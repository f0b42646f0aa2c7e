package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * QIDO-RS, WADO-RS instance retrieve and frames as the npm package dicomweb-client (the client OHIF uses)
 * sees them: src/test/node/qido.js drives the client under Node against a real Atrium and prints
 * what it got; this test asserts the client saw exactly the studies, series and instances stored.
 * Needs node and npm (scripts/bootstrap test installs them); the first run installs the pinned
 * packages with `npm ci`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebClientTest extends ArchiveTest {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();

  private final String tag = Long.toString(System.nanoTime() % 100000);
  private final String patientId = "NPM" + tag;
  /** Study A: two CT series (a1, a2 in one; a3 in the other). Study B: one MR instance. Same patient. */
  private Uids a1;
  private Uids a2;
  private Uids a3;
  private Uids b1;
  /** Another patient's study, which no search by our patient may return. */
  private Uids other;
  private final Map<String, Long> storedBytes = new HashMap<>();

  @BeforeAll
  void storeStudies() throws Exception {
    requireNode();
    String studyA = TestInstances.newUid();
    String seriesA1 = TestInstances.newUid();
    a1 = new Uids(studyA, seriesA1, TestInstances.newUid());
    a2 = new Uids(studyA, seriesA1, TestInstances.newUid());
    a3 = new Uids(studyA, TestInstances.newUid(), TestInstances.newUid());
    b1 = TestInstances.fresh();
    other = TestInstances.fresh();
    List<Path> files = new ArrayList<>();
    files.add(instance(a1, "DOE^JOHN", patientId, "20150614", "CT", "1"));
    files.add(instance(a2, "DOE^JOHN", patientId, "20150614", "CT", "1"));
    files.add(instance(a3, "DOE^JOHN", patientId, "20150614", "CT", "2"));
    files.add(instance(b1, "DOE^JOHN", patientId, "20190102", "MR", "1"));
    files.add(instance(other, "ROE^MARY", "OTHER" + tag, "20190102", "MR", "1"));
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new)));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
  }

  private Path instance(Uids u, String name, String id, String date, String modality, String seriesNumber)
      throws Exception {
    Path file = TestInstances.ct(work, u, Map.<AttributeTag, String>of(TagFromName.PatientName, name,
        TagFromName.PatientID, id, TagFromName.StudyDate, date, TagFromName.Modality, modality,
        TagFromName.SeriesNumber, seriesNumber, TagFromName.AccessionNumber, "NPM-" + tag));
    storedBytes.put(u.sop(), Files.size(file));
    return file;
  }

  @Test
  void dicomwebClientSeesExactlyTheStoredStudiesSeriesAndInstances() throws Exception {
    Map<String, Object> searches = new LinkedHashMap<>();
    searches.put("byPatientId", Map.of("PatientID", patientId));
    searches.put("byName", Map.of("PatientName", "DOE^JOHN"));
    // What OHIF's study list sends (its qido mapParams): wildcards around typed text, the patient ID
    // by tag, limit/offset, fuzzymatching=false spelled out, includefield, a StudyDate range.
    Map<String, Object> ohif = new LinkedHashMap<>();
    ohif.put("PatientName", "*oe*");
    ohif.put("00100020", "*PM" + tag + "*");
    ohif.put("limit", 101);
    ohif.put("offset", 0);
    ohif.put("fuzzymatching", false);
    ohif.put("includefield", "00081030,00080060");
    ohif.put("StudyDate", "20100101-20201231");
    searches.put("ohif", ohif);
    searches.put("fuzzy", Map.of("PatientName", "joh", "fuzzymatching", true));
    searches.put("notFuzzy", Map.of("PatientName", "joh"));
    searches.put("mrOnly", Map.of("PatientID", patientId, "ModalitiesInStudy", "MR"));
    searches.put("secondPage", Map.of("PatientID", patientId, "limit", 1, "offset", 1));
    ObjectNode spec = JSON.createObjectNode();
    spec.set("studySearches", JSON.valueToTree(searches));
    spec.put("walk", "byPatientId");
    // OHIF's series list asks for SeriesDescription and SeriesDate, which the index does not hold.
    spec.set("seriesSearch", JSON.valueToTree(Map.of("PatientID", patientId, "includefield", "0008103E,00080021")));
    spec.set("instanceSearch", JSON.valueToTree(Map.of("PatientID", patientId)));

    JsonNode seen = runClient(spec);

    assertThat(seen.get("problems")).as("DICOM JSON a client cannot take").isEmpty();
    JsonNode byId = seen.get("studySearches").get("byPatientId");
    assertThat(studyUids(byId)).containsExactlyInAnyOrder(a1.study(), b1.study());
    JsonNode a = find(byId, "studyInstanceUID", a1.study());
    JsonNode b = find(byId, "studyInstanceUID", b1.study());
    assertThat(a.get("patientName").asText()).isEqualTo("DOE^JOHN");
    assertThat(b.get("patientName").asText()).isEqualTo("DOE^JOHN");
    assertThat(a.get("patientId").asText()).isEqualTo(patientId);
    assertThat(a.get("studyDate").asText()).isEqualTo("20150614");
    assertThat(a.get("numberOfStudyRelatedSeries").asInt()).isEqualTo(2);
    assertThat(a.get("numberOfStudyRelatedInstances").asInt()).isEqualTo(3);
    assertThat(b.get("numberOfStudyRelatedInstances").asInt()).isEqualTo(1);
    assertThat(texts(a.get("modalitiesInStudy"))).containsExactly("CT");
    assertThat(texts(b.get("modalitiesInStudy"))).containsExactly("MR");
    assertThat(a.get("retrieveURL").asText()).isEqualTo(archive.dicomWeb() + "/studies/" + a1.study());

    assertThat(studyUids(seen.get("studySearches").get("byName"))).containsExactlyInAnyOrder(a1.study(), b1.study());
    assertThat(studyUids(seen.get("studySearches").get("ohif"))).as("OHIF-style study list query")
        .containsExactlyInAnyOrder(a1.study(), b1.study());
    assertThat(studyUids(seen.get("studySearches").get("fuzzy"))).containsExactlyInAnyOrder(a1.study(), b1.study());
    assertThat(studyUids(seen.get("studySearches").get("notFuzzy"))).isEmpty();
    assertThat(studyUids(seen.get("studySearches").get("mrOnly"))).containsExactly(b1.study());
    List<String> secondPage = studyUids(seen.get("studySearches").get("secondPage"));
    assertThat(secondPage).hasSize(1).isSubsetOf(a1.study(), b1.study());

    // The walk: searchForSeries per study, searchForInstances per series, retrieveInstance per instance.
    JsonNode studies = seen.get("studies");
    assertThat(studyUids(studies)).containsExactlyInAnyOrder(a1.study(), b1.study());
    JsonNode walkedA = find(studies, "studyInstanceUID", a1.study());
    assertThat(uids(walkedA.get("series"), "seriesInstanceUID")).containsExactlyInAnyOrder(a1.series(), a3.series());
    JsonNode seriesA1 = find(walkedA.get("series"), "seriesInstanceUID", a1.series());
    JsonNode seriesA3 = find(walkedA.get("series"), "seriesInstanceUID", a3.series());
    assertThat(uids(seriesA1.get("instances"), "sopInstanceUID")).containsExactlyInAnyOrder(a1.sop(), a2.sop());
    assertThat(uids(seriesA3.get("instances"), "sopInstanceUID")).containsExactly(a3.sop());
    assertThat(seriesA1.get("numberOfSeriesRelatedInstances").asInt()).isEqualTo(2);
    assertThat(seriesA1.get("modality").asText()).isEqualTo("CT");
    assertThat(texts(walkedA.get("studyLevelInstances"))).containsExactlyInAnyOrder(a1.sop(), a2.sop(), a3.sop());
    JsonNode walkedB = find(studies, "studyInstanceUID", b1.study());
    assertThat(uids(walkedB.get("series"), "seriesInstanceUID")).containsExactly(b1.series());
    assertThat(walkedB.get("series").get(0).get("modality").asText()).isEqualTo("MR");
    assertThat(uids(walkedB.get("series").get(0).get("instances"), "sopInstanceUID")).containsExactly(b1.sop());

    List<JsonNode> retrieved = new ArrayList<>();
    for (JsonNode study : studies) {
      for (JsonNode series : study.get("series")) series.get("instances").forEach(retrieved::add);
    }
    assertThat(retrieved).as("instances retrieved").hasSize(4);
    for (JsonNode instance : retrieved) {
      String sop = instance.get("sopInstanceUID").asText();
      assertThat(instance.get("bytes").asLong()).as("bytes of " + sop).isEqualTo(storedBytes.get(sop));
      assertThat(instance.get("dicm").asBoolean()).as("Part 10 prefix of " + sop).isTrue();
      assertThat(instance.get("contentType").asText()).isEqualTo("application/dicom");
      assertThat(instance.get("transferSyntaxUID").asText()).isEqualTo("1.2.840.10008.1.2.1");
      assertThat(instance.get("retrieveURL").asText()).endsWith("/instances/" + sop);
    }

    assertThat(uids(seen.get("seriesSearch"), "seriesInstanceUID"))
        .containsExactlyInAnyOrder(a1.series(), a3.series(), b1.series());
    assertThat(texts(seen.get("instanceSearch"))).containsExactlyInAnyOrder(a1.sop(), a2.sop(), a3.sop(), b1.sop());
  }

  @Test
  void dicomwebClientRetrievesRenderedImagesAndThumbnails() throws Exception {
    Uids image = TestInstances.fresh();
    Uids multi = TestInstances.fresh();
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(RenderingFixtures.ct(work, image), RenderingFixtures.multiFrame(work, multi)));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    ObjectNode spec = JSON.createObjectNode();
    spec.set("image", JSON.valueToTree(uidOptions(image)));
    spec.set("multiFrame", JSON.valueToTree(uidOptions(multi)));

    JsonNode seen = runClient("rendered.js", spec);

    // window=0,400,linear-exact: 0 HU -> 127.5, 200 HU -> 255, below -> 0 (PS3.3 C.11.2.1.3.2).
    BufferedImage png = decode(seen, "png", "png");
    assertThat(png.getWidth()).isEqualTo(64);
    assertThat(png.getHeight()).isEqualTo(48);
    assertThat(RenderingFixtures.gray(png, 16, 12)).isEqualTo(128);
    assertThat(RenderingFixtures.gray(png, 48, 12)).isEqualTo(255);
    assertThat(RenderingFixtures.gray(png, 16, 36)).isEqualTo(0);
    BufferedImage jpeg = decode(seen, "default", "jpeg");
    assertThat(RenderingFixtures.gray(jpeg, 48, 12)).as("the file's window, 230, in a JPEG").isBetween(224, 236);
    BufferedImage thumbnail = decode(seen, "thumbnail", "jpeg");
    assertThat(thumbnail.getWidth()).isEqualTo(32);
    assertThat(thumbnail.getHeight()).isEqualTo(24);
    BufferedImage frame2 = decode(seen, "frame2", "png");
    assertThat(frame2.getWidth()).isEqualTo(20);
    assertThat(RenderingFixtures.gray(frame2, 3, 3)).as("2000 in the middle of 2000/4000").isEqualTo(128);
  }

  private static Map<String, String> uidOptions(Uids uids) {
    return Map.of("studyInstanceUID", uids.study(), "seriesInstanceUID", uids.series(), "sopInstanceUID", uids.sop());
  }

  /** An image the client returned, checked to be of the format its first bytes promise. */
  private static BufferedImage decode(JsonNode seen, String name, String format) throws Exception {
    byte[] bytes = Base64.getDecoder().decode(seen.get(name).asText());
    var readers = ImageIO.getImageReaders(ImageIO.createImageInputStream(
        new ByteArrayInputStream(bytes)));
    assertThat(readers.hasNext()).as(name + " is an image").isTrue();
    assertThat(readers.next().getFormatName()).as(name).isEqualToIgnoringCase(format);
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  @Test
  void dicomwebClientRetrievesFramesDecodedAndAsStored() throws Exception {
    Uids multiFrame = TestInstances.fresh();
    Uids rle = TestInstances.fresh();
    Path nativeFile = CodecFixtures.multiFrame(work, multiFrame, 5, 32, 40, 12);
    Path rleFile = CodecFixtures.withUids(CodecFixtures.convert(nativeFile, work, "dcmcrle"), work, rle);
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(nativeFile, rleFile));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    byte[] pixels = CodecFixtures.pixelData(nativeFile);
    int frameBytes = 32 * 40 * 2;
    List<byte[]> rleItems = CodecFixtures.items(rleFile, work);

    ObjectNode spec = JSON.createObjectNode();
    var frames = spec.putArray("frames");
    frames.add(frameRequest(multiFrame, List.of(2, 5), null));
    frames.add(frameRequest(rle, List.of(4, 1), null)); // default: application/octet-stream, decoded
    frames.add(frameRequest(rle, List.of(3), Map.of("mediaType", "image/x-dicom-rle",
        "transferSyntaxUID", "1.2.840.10008.1.2.5")));
    JsonNode seen = runClient(spec).get("frames");

    assertThat(seen).hasSize(3);
    assertThat(digests(seen.get(0))).containsExactly(sha256(frame(pixels, 2, frameBytes)),
        sha256(frame(pixels, 5, frameBytes)));
    assertThat(digests(seen.get(1))).as("RLE frames decoded to the original pixels")
        .containsExactly(sha256(frame(pixels, 4, frameBytes)), sha256(frame(pixels, 1, frameBytes)));
    assertThat(digests(seen.get(2))).as("an RLE frame as stored").containsExactly(sha256(rleItems.get(3)));
  }

  private static ObjectNode frameRequest(Uids u, List<Integer> numbers, Map<String, String> mediaType) {
    ObjectNode request = JSON.createObjectNode();
    request.put("studyInstanceUID", u.study());
    request.put("seriesInstanceUID", u.series());
    request.put("sopInstanceUID", u.sop());
    request.set("frameNumbers", JSON.valueToTree(numbers));
    if (mediaType != null) request.set("mediaTypes", JSON.valueToTree(List.of(mediaType)));
    return request;
  }

  private static List<String> digests(JsonNode framesSeen) {
    List<String> digests = new ArrayList<>();
    for (JsonNode part : framesSeen.get("parts")) digests.add(part.get("sha256").asText());
    return digests;
  }

  private static byte[] frame(byte[] pixelData, int number, int length) {
    return java.util.Arrays.copyOfRange(pixelData, (number - 1) * length, number * length);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  // ---- running the client ----

  /** node and npm must be there; a plain local run without them skips, CI fails. */
  private static void requireNode() throws Exception {
    for (String tool : List.of("node", "npm")) {
      Run version = null;
      try {
        version = run(List.of(tool, "--version"), 30);
      } catch (IOException e) {
        // not on PATH
      }
      if (version == null || version.exitCode != 0) {
        String message = tool + " not found on PATH: DicomWebClientTest drives the npm package dicomweb-client "
            + "under Node (scripts/bootstrap test installs nodejs and npm)";
        if (System.getenv("CI") != null) fail(message);
        Assumptions.abort(message);
      }
    }
  }

  /** `npm ci` when node_modules is missing or holds other versions than package.json pins. */
  private static void installClient() throws Exception {
    JsonNode pins = JSON.readTree(NODE_DIR.resolve("package.json").toFile()).get("dependencies");
    boolean current = true;
    for (var pin : (Iterable<Map.Entry<String, JsonNode>>) pins::fields) {
      Path installed = NODE_DIR.resolve("node_modules").resolve(pin.getKey()).resolve("package.json");
      current &= Files.exists(installed)
          && JSON.readTree(installed.toFile()).path("version").asText().equals(pin.getValue().asText());
    }
    if (current) return;
    Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString()), 300);
    assertThat(npm.exitCode).as("npm ci in src/test/node:\n" + npm.stdout + npm.stderr).isZero();
  }

  private JsonNode runClient(JsonNode spec) throws Exception {
    return runClient("qido.js", spec);
  }

  private JsonNode runClient(String script, JsonNode spec) throws Exception {
    installClient();
    Path specFile = work.resolve("spec.json");
    JSON.writeValue(specFile.toFile(), spec);
    Run client = run(List.of("node", NODE_DIR.resolve(script).toString(), archive.dicomWeb(),
        specFile.toString()), 120);
    assertThat(client.exitCode).as(script + " failed:\n" + client.stderr + client.stdout).isZero();
    return JSON.readTree(client.stdout);
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run run(List<String> command, long timeoutSeconds) throws Exception {
    Path out = Files.createTempFile("atrium-node", ".out");
    Path err = Files.createTempFile("atrium-node", ".err");
    try {
      Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  // ---- reading what the client saw ----

  private static List<String> studyUids(JsonNode studies) {
    return uids(studies, "studyInstanceUID");
  }

  private static List<String> uids(JsonNode nodes, String field) {
    List<String> uids = new ArrayList<>();
    for (JsonNode n : nodes) uids.add(n.get(field).asText());
    return uids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    for (JsonNode n : array) texts.add(n.asText());
    return texts;
  }

  private static JsonNode find(JsonNode nodes, String field, String value) {
    for (JsonNode n : nodes) if (value.equals(n.path(field).asText())) return n;
    throw new AssertionError("no " + field + " " + value + " in " + nodes);
  }
}
