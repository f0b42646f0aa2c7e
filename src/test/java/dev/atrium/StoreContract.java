package dev.atrium;

import dev.atrium.support.Bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.PixelMedStorageScu;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store funnel as clients see it, over real HTTP and real dcmtk: the same contract runs
 * against each index database (subclasses pick one). After every test the archive must be
 * consistent: one blob per index row, nothing left in staging, health 200.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract extends ArchiveTest {

  @AfterEach
  void archiveIsConsistent() throws Exception {
    assertThat(archive.stagingFiles()).as("staging files left behind").isEmpty();
    assertThat(archive.blobFiles()).as("one blob per indexed instance").hasSize(archive.instanceRows());
    for (Path document : archive.metadataFiles()) {
      String key = document.getFileName().toString().replace(".json", "");
      assertThat(document.resolveSibling(key)).as("metadata document beside its blob (no orphan)").exists();
    }
    assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
  }

  // ---- STOW-RS ----

  @Test
  void stowStoresEveryPartAndRetrievesTheSameBytes() throws Exception {
    String study = TestInstances.newUid();
    Uids a = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Uids b = new Uids(study, a.series(), TestInstances.newUid());
    Path fileA = TestInstances.ct(work, a);
    Path fileB = TestInstances.ct(work, b);

    HttpResponse<String> response = stow("/studies", Multipart.body(fileA, fileB));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/dicom+json"));
    assertThat(response.body()).contains("\"00081199\"").doesNotContain("\"00081198\"")
        .contains(archive.dicomWeb() + "/studies/" + study + "/series/" + a.series() + "/instances/" + a.sop())
        .contains(archive.dicomWeb() + "/studies/" + study + "\"");
    assertThat(retrieve(a, "application/dicom")).isEqualTo(Files.readAllBytes(fileA));
    assertThat(retrieve(b, "application/dicom")).isEqualTo(Files.readAllBytes(fileB));
    byte[] multipart = retrieve(a, "multipart/related; type=\"application/dicom\"");
    assertThat(Bytes.indexOf(multipart, Files.readAllBytes(fileA))).isPositive();
  }

  @Test
  void wadoRetrievesAStudyAndASeriesAsMultipartOfTheStoredBytes() throws Exception {
    String study = TestInstances.newUid();
    Uids a = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Uids b = new Uids(study, a.series(), TestInstances.newUid());
    Uids c = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Path fa = TestInstances.ct(work, a);
    Path fb = TestInstances.ct(work, b);
    Path fc = TestInstances.ct(work, c);
    assertThat(stow("/studies", Multipart.body(fa, fb, fc)).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> whole = Http.getBytes(archive.dicomWeb() + "/studies/" + study,
        "multipart/related; type=\"application/dicom\"");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(parts(whole)).containsExactlyInAnyOrder(Files.readAllBytes(fa), Files.readAllBytes(fb),
        Files.readAllBytes(fc));
    assertThat(whole.headers().firstValueAsLong("Content-Length")).as("as stored, the length is declared")
        .hasValue(whole.body().length);
    HttpResponse<byte[]> series = Http.getBytes(archive.dicomWeb() + "/studies/" + study + "/series/" + a.series(),
        null);
    assertThat(parts(series)).containsExactlyInAnyOrder(Files.readAllBytes(fa), Files.readAllBytes(fb));

    assertThat(Http.get(archive.dicomWeb() + "/studies/" + study, "application/dicom").statusCode())
        .as("a study is never one application/dicom body").isEqualTo(406);
    assertThat(Http.get(archive.dicomWeb() + "/studies/" + study,
        "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50").statusCode())
        .as("the archive does not compress into JPEG").isEqualTo(406);
    assertThat(Http.get(archive.dicomWeb() + "/studies/1.2.3.999", null).statusCode()).isEqualTo(404);
    assertThat(Http.get(archive.dicomWeb() + "/studies/1.2.x", null).statusCode()).isEqualTo(400);
  }

  @Test
  void metadataIsTheStoredHeaderAsDicomJsonAndSurvivesLosingItsDocument() throws Exception {
    String study = TestInstances.newUid();
    Uids a = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Uids b = new Uids(study, a.series(), TestInstances.newUid());
    assertThat(stow("/studies", Multipart.body(TestInstances.ct(work, a), TestInstances.ct(work, b))).statusCode())
        .isEqualTo(200);
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var keys = archive.index().dsl().select(dev.atrium.index.schema.Tables.INSTANCE.BLOB_KEY)
        .from(dev.atrium.index.schema.Tables.INSTANCE)
        .where(dev.atrium.index.schema.Tables.INSTANCE.SOP_INSTANCE_UID.in(a.sop(), b.sop()))
        .fetch(dev.atrium.index.schema.Tables.INSTANCE.BLOB_KEY);
    assertThat(archive.metadataFiles()).as("documents built at store time")
        .extracting(f -> f.getFileName().toString().replace(".json", "")).containsAll(keys);

    HttpResponse<String> response = Http.get(archive.dicomWeb() + "/studies/" + study + "/metadata", null);
    assertThat(response.statusCode()).isEqualTo(200);
    var documents = mapper.readTree(response.body());
    assertThat(documents).hasSize(2);
    for (var doc : documents) {
      String sop = doc.get("00080018").get("Value").get(0).asText();
      assertThat(sop).isIn(a.sop(), b.sop());
      assertThat(doc.get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("CompressedSamples^CT1");
      assertThat(doc.get("00280010").get("Value").get(0).asInt()).as("Rows (US) as a number").isEqualTo(128);
      assertThat(doc.get("7FE00010").get("BulkDataURI").asText()).isEqualTo(archive.dicomWeb() + "/studies/" + study
          + "/series/" + a.series() + "/instances/" + sop + "/bulkdata/7FE00010");
      assertThat(doc.has("00020010")).as("no File Meta Information").isFalse();
    }

    // Its BulkDataURI resolves: the Pixel Data value's bytes, straight from the stored file.
    String pixelUri = documents.get(0).get("7FE00010").get("BulkDataURI").asText();
    HttpResponse<byte[]> pixels = Http.getBytes(pixelUri, null);
    assertThat(pixels.statusCode()).isEqualTo(200);
    String pixelSop = documents.get(0).get("00080018").get("Value").get(0).asText();
    byte[] stored = retrieve(pixelSop.equals(a.sop()) ? a : b, "application/dicom");
    assertThat(parts(pixels)).containsExactly(Arrays.copyOfRange(stored, stored.length - 128 * 128 * 2,
        stored.length));
    assertThat(Http.get(pixelUri.replace("7FE00010", "7FE00008"), null).statusCode()).as("absent").isEqualTo(404);
    assertThat(Http.get(pixelUri.replace("7FE00010", "pixels"), null).statusCode()).isEqualTo(400);

    // The document is derived data: if it is lost it is rebuilt from the instance, the same.
    String instanceUrl = archive.dicomWeb() + "/studies/" + study + "/series/" + a.series() + "/instances/" + a.sop();
    String before = Http.get(instanceUrl + "/metadata", null).body();
    for (Path document : archive.metadataFiles()) Files.delete(document);
    HttpResponse<String> rebuilt = Http.get(instanceUrl + "/metadata", null);
    assertThat(rebuilt.statusCode()).isEqualTo(200);
    assertThat(mapper.readTree(rebuilt.body())).isEqualTo(mapper.readTree(before));
    Http.get(archive.dicomWeb() + "/studies/" + study + "/metadata", null); // rebuilds b's too
    // A document cut short (as a power loss can leave one: it is written without an fsync) too.
    for (Path document : archive.metadataFiles()) {
      Files.write(document, Arrays.copyOf(Files.readAllBytes(document), 100));
    }
    assertThat(mapper.readTree(Http.get(instanceUrl + "/metadata", null).body())).isEqualTo(mapper.readTree(before));
    assertThat(Http.get(archive.dicomWeb() + "/studies/1.2.3.999/metadata", null).statusCode()).isEqualTo(404);
    assertThat(Http.get(instanceUrl + "/metadata", "image/png").statusCode()).isEqualTo(406);
  }

  /** The bodies of a multipart/related response, split at its boundary. */
  static java.util.List<byte[]> parts(HttpResponse<byte[]> response) {
    return dev.atrium.support.MultipartResponse.bodies(response);
  }

  @Test
  void stowToStudyUrlRejectsInstancesOfAnotherStudy() throws Exception {
    Uids uids = TestInstances.fresh();
    HttpResponse<String> response = stow("/studies/" + TestInstances.newUid(),
        Multipart.body(TestInstances.ct(work, uids)));
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.body()).contains("43265").contains(uids.sop());
    assertNotStored(uids);
  }

  @Test
  void stowAnswersInTheFormatAcceptAsksForAndRefusesOneItCannotGiveBeforeStoring() throws Exception {
    Uids uids = TestInstances.fresh();
    byte[] body = Multipart.body(TestInstances.ct(work, uids));
    String url = archive.dicomWeb() + "/studies";
    HttpResponse<String> html = Http.post(url, Multipart.CONTENT_TYPE, "text/html", body);
    assertThat(html.statusCode()).isEqualTo(406);
    assertThat(html.body()).contains("application/dicom+xml");
    assertNotStored(uids);

    HttpResponse<String> xml = Http.post(url, Multipart.CONTENT_TYPE, "application/dicom+xml", body);
    assertThat(xml.statusCode()).isEqualTo(200);
    assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/dicom+xml");
    assertThat(xml.body()).contains("<NativeDicomModel").contains("tag=\"00081199\"").contains(uids.sop())
        .contains("/studies/" + uids.study() + "/series/" + uids.series() + "/instances/" + uids.sop());
  }

  @Test
  void stowOfADuplicateAnswers45070AndKeepsTheFirst() throws Exception {
    Uids uids = TestInstances.fresh();
    Path file = TestInstances.ct(work, uids);
    assertThat(stow("/studies", Multipart.body(file)).statusCode()).isEqualTo(200);
    HttpResponse<String> again = stow("/studies", Multipart.body(file));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("45070").contains("already stored");
    assertThat(retrieve(uids, "application/dicom")).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void stowWithSomeBadPartsAnswers202WithReasons() throws Exception {
    Uids good = TestInstances.fresh();
    byte[] body = Multipart.body(List.of(
        Multipart.Part.dicom(TestInstances.ct(work, good)),
        new Multipart.Part("application/dicom", "this is not DICOM".repeat(20).getBytes(StandardCharsets.US_ASCII)),
        new Multipart.Part("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    HttpResponse<String> response = stow("/studies", body);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("43264").contains("not a DICOM PS3.10 file").contains("image/png");
    assertThat(retrieve(good, "application/dicom")).isNotEmpty();
  }

  /**
   * A body cut off in its third part after two whole ones: the two are stored and reported, the rest a failure
   * (202). It was 400, which PS3.18 10.5.3 keeps for a request of which nothing was stored.
   */
  @Test
  void aBodyBrokenAfterStoredPartsAnswers202NamingWhatWasStored() throws Exception {
    Uids first = TestInstances.fresh();
    Uids second = TestInstances.fresh();
    Uids third = TestInstances.fresh();
    Path thirdFile = TestInstances.ct(work, third);
    byte[] body = Multipart.body(TestInstances.ct(work, first), TestInstances.ct(work, second), thirdFile);
    HttpResponse<String> response = stow("/studies", Arrays.copyOf(body, body.length - (int) Files.size(thirdFile) / 2));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(response.body()).contains(first.sop(), second.sop()).contains("272").contains("nothing after part 2 was stored")
        .contains("ends before the closing boundary");
    assertThat(retrieve(first, "application/dicom")).isNotEmpty();
    assertThat(retrieve(second, "application/dicom")).isNotEmpty();
    assertNotStored(third);
  }

  /** PUT is an upsert: an instance already stored is replaced, whatever the duplicate policy of POST (reject here). */
  @Test
  void putReplacesAnInstanceAlreadyStored() throws Exception {
    Uids uids = TestInstances.fresh();
    assertThat(stow("/studies", Multipart.body(TestInstances.ct(work, uids))).statusCode()).isEqualTo(200);
    Path corrected = TestInstances.ct(work, uids, Map.<AttributeTag, String>of(TagFromName.PatientName,
        "CORRECTED^NAME"));
    assertThat(stow("/studies", Multipart.body(corrected)).body()).as("POST keeps the first").contains("45070");
    HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(archive.dicomWeb()
        + "/studies/" + uids.study())).header("Content-Type", Multipart.CONTENT_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(Multipart.body(corrected))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(retrieve(uids, "application/dicom")).isEqualTo(Files.readAllBytes(corrected));
    assertThat(Http.get(archive.dicomWeb() + "/studies?StudyInstanceUID=" + uids.study(), null).body())
        .contains("CORRECTED^NAME");
    for (int i = 0; i < 200 && archive.blobFiles().size() != archive.instanceRows(); i++) {
      Thread.sleep(50); // the replaced blob is reclaimed in the background (the check after each test wants it gone)
    }
  }

  @Test
  void stowRejectsInstancesThatFailValidation() throws Exception {
    TestInstances.Uids cut = TestInstances.fresh();
    Path ct = TestInstances.ct(work, cut);
    byte[] whole = Files.readAllBytes(ct);
    Path truncated = work.resolve("truncated.dcm");
    Files.write(truncated, Arrays.copyOf(whole, whole.length - 100)); // cut inside Pixel Data
    Path noSop = TestInstances.withValue(ct, work, TagFromName.SOPInstanceUID, null);
    Path traversal = TestInstances.withValue(ct, work, TagFromName.SOPInstanceUID, "../../etc/passwd");
    Path injection = TestInstances.withValue(ct, work, TagFromName.SOPInstanceUID, "1.2.3;DROP TABLE instance");
    Path badStudy = TestInstances.withValue(ct, work, TagFromName.StudyInstanceUID, "1.02.3");
    Path oddLength = oddLengthInstitutionName();
    int rowsBefore = archive.instanceRows();

    for (Path[] bad : new Path[][] {{truncated}, {noSop}, {traversal}, {injection}, {badStudy}, {oddLength}}) {
      HttpResponse<String> response = stow("/studies", Multipart.body(bad));
      assertThat(response.statusCode()).as(bad[0].getFileName().toString()).isEqualTo(409);
      assertThat(response.body()).contains("43264");
    }
    assertThat(stow("/studies", Multipart.body(truncated)).body()).contains("truncated")
        .as("the failed item names the instance, from its File Meta Information").contains(cut.sop());
    assertThat(stow("/studies", Multipart.body(noSop)).body()).contains("no SOP Instance UID");
    assertThat(stow("/studies", Multipart.body(traversal)).body()).contains("not a valid UID").contains("../../etc");
    assertThat(stow("/studies", Multipart.body(injection)).body()).contains("not a valid UID");
    assertThat(stow("/studies", Multipart.body(badStudy)).body()).contains("Study Instance UID");
    // Stored as sent, it once broke every C-MOVE and C-GET of its study (dcmtk aborts on an odd length).
    assertThat(stow("/studies", Multipart.body(oddLength)).body()).contains("(0008,0080) has an odd value length");
    assertThat(archive.instanceRows()).isEqualTo(rowsBefore);
  }

  /** A CT whose InstitutionName (LO) is 3 bytes long, against PS3.5 7.1.1; the rest of its framing is sound. */
  private Path oddLengthInstitutionName() throws Exception {
    byte[] file = Files.readAllBytes(TestInstances.ct(work, TestInstances.fresh(),
        Map.of(TagFromName.InstitutionName, "ABCD")));
    byte[] even = {0x08, 0x00, (byte) 0x80, 0x00, 'L', 'O', 4, 0, 'A', 'B', 'C', 'D'};
    int at = Bytes.indexOf(file, even);
    assertThat(at).isPositive();
    byte[] odd = new byte[file.length - 1];
    System.arraycopy(file, 0, odd, 0, at + 6);
    odd[at + 6] = 3; // the length, then "ABC" and everything after one byte earlier
    System.arraycopy(file, at + 8, odd, at + 8, 3);
    System.arraycopy(file, at + 12, odd, at + 11, file.length - at - 12);
    Path oddFile = work.resolve("odd-length.dcm");
    Files.write(oddFile, odd);
    return oddFile;
  }

  @Test
  void malformedStowRequestsGet4xxWithAReason() throws Exception {
    byte[] good = Multipart.body(TestInstances.ct(work, TestInstances.fresh()));
    int rowsBefore = archive.instanceRows();

    HttpResponse<String> wrongType = Http.post(archive.dicomWeb() + "/studies", "application/json", good);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(wrongType.body()).contains("multipart/related");

    HttpResponse<String> jsonParts = Http.post(archive.dicomWeb() + "/studies",
        "multipart/related; type=\"application/dicom+json\"; boundary=" + Multipart.BOUNDARY, good);
    assertThat(jsonParts.statusCode()).isEqualTo(415);

    HttpResponse<String> noBoundary = Http.post(archive.dicomWeb() + "/studies",
        "multipart/related; type=\"application/dicom\"", good);
    assertThat(noBoundary.statusCode()).isEqualTo(400);
    assertThat(noBoundary.body()).contains("boundary");

    HttpResponse<String> brokenBoundary = Http.post(archive.dicomWeb() + "/studies",
        "multipart/related; type=\"application/dicom\"; boundary=not-the-one-used", good);
    assertThat(brokenBoundary.statusCode()).isEqualTo(400);
    assertThat(brokenBoundary.body()).contains("no opening boundary");

    HttpResponse<String> cutOff = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Arrays.copyOf(good, good.length / 2));
    assertThat(cutOff.statusCode()).isEqualTo(400);
    assertThat(cutOff.body()).contains("ends before the closing boundary");

    HttpResponse<String> empty = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, new byte[0]);
    assertThat(empty.statusCode()).isEqualTo(400);

    HttpResponse<String> noParts = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        ("--" + Multipart.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(noParts.statusCode()).isEqualTo(400);
    assertThat(noParts.body()).contains("no parts");

    HttpResponse<String> badUrlStudy = Http.post(archive.dicomWeb() + "/studies/1.2.x", Multipart.CONTENT_TYPE, good);
    assertThat(badUrlStudy.statusCode()).isEqualTo(400);
    assertThat(badUrlStudy.body()).contains("not a valid UID");

    assertThat(archive.instanceRows()).isEqualTo(rowsBefore);
  }

  @Test
  void retrieveAnswers400ForInvalidUidsAnd404ForUnknownOnes() throws Exception {
    String base = archive.dicomWeb() + "/studies/";
    HttpResponse<String> injection = Http.get(base + "1.2.3;DROP/series/1.2/instances/1.3", null);
    assertThat(injection.statusCode()).isEqualTo(400);
    assertThat(injection.body()).contains("StudyInstanceUID");
    assertThat(Http.get(base + "1.2/series/1.2/instances/01.3", null).statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "1.2/series/1.2/instances/1.3", null).statusCode()).isEqualTo(404);
  }

  // ---- DIMSE ----

  @Test
  void echoscuSucceeds() throws Exception {
    Dcmtk.Result echo = Dcmtk.run(30, "echoscu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort()));
    assertThat(echo.exitCode()).as(echo.output()).isZero();
  }

  @Test
  void storescuStoresAndARetryOfTheSameInstanceSucceedsWithoutChange() throws Exception {
    Uids uids = TestInstances.fresh();
    Path file = TestInstances.ct(work, uids);
    for (int attempt = 0; attempt < 2; attempt++) {
      Dcmtk.Result store = storescu(List.of(), file);
      assertThat(store.exitCode()).as(store.output()).isZero();
      assertThat(store.output()).doesNotContain("W: Store SCP").doesNotContain("E:");
    }
    byte[] stored = retrieve(uids, "application/dicom");
    assertThat(Arrays.copyOfRange(stored, 128, 132)).isEqualTo("DICM".getBytes(StandardCharsets.US_ASCII));
    byte[] original = Files.readAllBytes(file);
    assertThat(Arrays.mismatch(dataSet(stored), dataSet(original))).as("first differing byte of the data sets, "
        + "stored %d bytes, original %d bytes", stored.length, original.length).isEqualTo(-1);
  }

  @Test
  void aRejectedInstanceGetsAFailureStatusAndTheAssociationGoesOn() throws Exception {
    Path ct = TestInstances.ct(work, TestInstances.fresh());
    Path badUid = TestInstances.withValue(ct, work, TagFromName.StudyInstanceUID, "1.02.3");
    Uids good = TestInstances.fresh();
    Path goodFile = TestInstances.ct(work, good);
    int rowsBefore = archive.instanceRows();

    Dcmtk.Result store = storescu(List.of("-v", "-nh"), badUid, goodFile);

    // PS3.4 B.2.3: Cannot understand (Cxxx), then the next instance on the same association succeeds.
    assertThat(store.output()).contains("Received Store Response (Error: CannotUnderstand)")
        .contains("Received Store Response (Success)").doesNotContainIgnoringCase("abort");
    assertThat(store.output().indexOf("Error")).isLessThan(store.output().indexOf("(Success)"));
    assertThat(archive.instanceRows()).isEqualTo(rowsBefore + 1);
    assertThat(retrieve(good, "application/dicom")).isNotEmpty();
  }

  @Test
  void aDataSetThatDoesNotMatchTheAffectedSopClassIsRefused() throws Exception {
    Uids mismatched = TestInstances.fresh();
    Uids good = TestInstances.fresh();
    try (PixelMedStorageScu scu = new PixelMedStorageScu("127.0.0.1", archive.dimsePort(), archive.aeTitle())) {
      // CT data set announced as MR Image Storage (storescu always takes the class from the file).
      assertThat(scu.send(TestInstances.ct(work, mismatched), "1.2.840.10008.5.1.4.1.1.4", mismatched.sop()))
          .isFalse();
      assertThat(scu.send(TestInstances.ct(work, good), "1.2.840.10008.5.1.4.1.1.2", good.sop())).isTrue();
    }
    assertNotStored(mismatched);
    assertThat(retrieve(good, "application/dicom")).isNotEmpty();
  }

  /**
   * Values the index keeps that do not read as their VR says (a StudyDate that is no date, a Series Number that is no
   * integer): the instance is stored as sent and found by its UIDs, those attributes are left out of the index, and
   * both protocols say so. STOW-RS: 202, WarningReason 45063 and an Error Comment per attribute in a Failed
   * Attributes Sequence, as the Azure DICOM service answers (API v2). C-STORE: warning B007 (PS3.4 B.2.3).
   */
  @Test
  void valuesTheIndexCannotReadAreStoredWithAWarningThatNamesThem() throws Exception {
    Map<AttributeTag, String> unreadable = Map.of(TagFromName.StudyDate, "20231345", TagFromName.SeriesNumber, "x7");
    Uids byStow = TestInstances.fresh();
    Path stowFile = TestInstances.ct(work, byStow, unreadable);
    HttpResponse<String> response = stow("/studies", Multipart.body(stowFile));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode stored = new ObjectMapper().readTree(response.body()).path("00081199").path("Value");
    assertThat(stored).as(response.body()).hasSize(1);
    assertThat(stored.get(0).path("00081155").path("Value").get(0).asText()).isEqualTo(byStow.sop());
    assertThat(stored.get(0).path("00081196").path("Value").get(0).asInt()).isEqualTo(45063);
    List<String> comments = new java.util.ArrayList<>();
    stored.get(0).path("00741048").path("Value")
        .forEach(attribute -> comments.add(attribute.path("00000902").path("Value").get(0).asText()));
    assertThat(comments).as(response.body()).hasSize(2).anySatisfy(c -> assertThat(c)
            .startsWith("(0008,0020) StudyDate '20231345' is not a valid DA"))
        .anySatisfy(c -> assertThat(c).startsWith("(0020,0011) SeriesNumber 'x7' is not a valid IS"));
    assertThat(response.body()).doesNotContain("00081198"); // no failure
    assertThat(retrieve(byStow, "application/dicom")).isEqualTo(Files.readAllBytes(stowFile));
    HttpResponse<String> found = Http.get(archive.dicomWeb() + "/studies?StudyInstanceUID=" + byStow.study(), null);
    assertThat(found.body()).as("QIDO by the study's UID").contains(byStow.study());

    Uids byDimse = TestInstances.fresh();
    Dcmtk.Result store = storescu(List.of("-v"), TestInstances.ct(work, byDimse, unreadable));
    assertThat(store.exitCode()).as(store.output()).isZero();
    assertThat(store.output()).contains("Received Store Response (Warning");
    assertThat(retrieve(byDimse, "application/dicom")).isNotEmpty();
  }

  /** storescu with its options, then the archive's address, then the files. */
  Dcmtk.Result storescu(List<String> options, Path... files) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("storescu", "-aec", archive.aeTitle()));
    command.addAll(options);
    command.add("127.0.0.1");
    command.add(String.valueOf(archive.dimsePort()));
    for (Path file : files) command.add(file.toString());
    return Dcmtk.run(300, command);
  }

  // ---- helpers ----

  HttpResponse<String> stow(String path, byte[] body) throws Exception {
    return Http.post(archive.dicomWeb() + path, Multipart.CONTENT_TYPE, body);
  }

  byte[] retrieve(Uids uids, String accept) throws Exception {
    HttpResponse<byte[]> response = Http.getBytes(archive.dicomWeb() + "/studies/" + uids.study() + "/series/"
        + uids.series() + "/instances/" + uids.sop(), accept);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  void assertNotStored(Uids uids) throws Exception {
    assertThat(Http.get(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
        + "/instances/" + uids.sop(), null).statusCode()).isEqualTo(404);
  }

  /** The data set of a PS3.10 file: everything after the File Meta Information group. */
  static byte[] dataSet(byte[] part10) {
    int groupLength = (part10[140] & 0xff) | (part10[141] & 0xff) << 8 | (part10[142] & 0xff) << 16
        | (part10[143] & 0xff) << 24;
    return Arrays.copyOfRange(part10, 144 + groupLength, part10.length);
  }

}
