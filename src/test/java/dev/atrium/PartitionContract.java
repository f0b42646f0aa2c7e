package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #6, tenant isolation: the same UIDs stored with different content in two partitions
 * (one by STOW under /partitions/{name}, one by C-STORE to the called AE title that serves it),
 * then every endpoint and DIMSE service on each side sees its own data only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PartitionContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CARDIO_AE = "CARDIO";

  private Path dataDir;
  private Path work;
  private TestArchive archive;
  private final Uids shared = TestInstances.fresh();
  private final Uids neuroOnly = TestInstances.fresh();
  private byte[] defaultFile;
  private byte[] cardiologyFile;

  abstract TestDatabase database();

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-partitions");
    work = Files.createTempDirectory("atrium-partitions-work");
    archive = new TestArchive(database(), dataDir, config -> config.withDimse(withCalledAe(config.dimse())));
    // Nothing stored yet: no latest change, which the Azure DICOM service answers 204.
    HttpResponse<String> none = Http.get(archive.dicomWeb() + "/changefeed/latest", null);
    assertThat(none.statusCode()).isEqualTo(204);
    assertThat(none.body()).isEmpty();
    Path inDefault = TestInstances.ct(work, shared, Map.of(TagFromName.PatientName, "DEFAULT^ONE",
        TagFromName.PatientID, "P-DEFAULT"));
    Path inCardiology = TestInstances.ct(work, shared, Map.of(TagFromName.PatientName, "CARDIO^TWO",
        TagFromName.PatientID, "P-CARDIO"));
    defaultFile = Files.readAllBytes(inDefault);
    cardiologyFile = Files.readAllBytes(inCardiology);

    HttpResponse<String> stow = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(inDefault));
    assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
    Dcmtk.Result store = Dcmtk.run(60, "storescu", "-aec", CARDIO_AE, "127.0.0.1",
        String.valueOf(archive.dimsePort()), inCardiology.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    HttpResponse<String> neuro = Http.post(archive.dicomWeb() + "/partitions/neuro/studies", Multipart.CONTENT_TYPE,
        Multipart.body(TestInstances.ct(work, neuroOnly)));
    assertThat(neuro.statusCode()).as(neuro.body()).isEqualTo(200);
  }

  private static AtriumConfig.Dimse withCalledAe(AtriumConfig.Dimse d) {
    return d.withAccess(d.remoteAes(), Map.of(CARDIO_AE, "cardiology"));
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  private String root(String partition) {
    return partition == null ? archive.dicomWeb() : archive.dicomWeb() + "/partitions/" + partition;
  }

  @Test
  @Order(1)
  void partitionsAreListedOnceCreated() throws Exception {
    HttpResponse<String> response = Http.get(archive.dicomWeb() + "/partitions", null);
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    JSON.readTree(response.body()).forEach(p -> names.add(p.path("partitionName").asText()));
    assertThat(names).containsExactlyInAnyOrder("DEFAULT", "cardiology", "neuro");
  }

  @Test
  @Order(1)
  void qidoSeesEachPartitionsOwnVersion() throws Exception {
    assertThat(patientNames(null, shared.study())).containsExactly("DEFAULT^ONE");
    assertThat(patientNames("cardiology", shared.study())).containsExactly("CARDIO^TWO");
    assertThat(patientNames("neuro", shared.study())).isEmpty();
    assertThat(patientNames(null, neuroOnly.study())).isEmpty();
    assertThat(patientNames("neuro", neuroOnly.study())).hasSize(1);
    assertThat(patientNames("Microsoft.Default", shared.study())).as("Azure's name of the default partition")
        .containsExactly("DEFAULT^ONE");
    // A partition nobody stored into does not exist, as in the Azure DICOM service; names that differ only in case
    // are other partitions (on MariaDB they once were the same tenant).
    for (String unknown : List.of("radiology", "Cardiology", "default")) {
      HttpResponse<String> response = Http.get(root(unknown) + "/studies?StudyInstanceUID=" + shared.study(), null);
      assertThat(response.statusCode()).as(unknown).isEqualTo(400);
      assertThat(response.body()).contains("Specified PartitionName " + unknown + " does not exist");
    }
  }

  @Test
  @Order(1)
  void matchingIsCaseSensitiveExceptForNames() throws Exception {
    // PS3.4 C.2.2.2.1 and C.2.2.2.4: single value and wildcard matching are case-sensitive but for PN.
    assertThat(patientNames(null, shared.study(), "&PatientID=P-DEFAULT")).containsExactly("DEFAULT^ONE");
    assertThat(patientNames(null, shared.study(), "&PatientID=p-default")).isEmpty();
    assertThat(patientNames(null, shared.study(), "&PatientID=p-def*")).isEmpty();
    assertThat(patientNames(null, shared.study(), "&PatientName=default%5Eone")).containsExactly("DEFAULT^ONE");
  }

  @Test
  @Order(1)
  void retrieveAndMetadataServeEachPartitionsOwnBytes() throws Exception {
    String instance = "/studies/" + shared.study() + "/series/" + shared.series() + "/instances/" + shared.sop();
    byte[] fromDefault = Http.getBytes(root(null) + instance, "multipart/related; type=\"application/dicom\"").body();
    byte[] fromCardiology = Http.getBytes(root("cardiology") + instance,
        "multipart/related; type=\"application/dicom\"").body();
    assertThat(contains(fromDefault, defaultFile)).as("default partition's WADO-RS part is its own file").isTrue();
    assertThat(contains(fromCardiology, dataSetOf(cardiologyFile)))
        .as("cardiology's WADO-RS part carries the data set sent there by C-STORE").isTrue();
    assertThat(Http.get(root("neuro") + instance, null).statusCode()).isEqualTo(404);

    assertThat(Http.get(root(null) + instance + "/metadata", null).body()).contains("DEFAULT^ONE")
        .doesNotContain("CARDIO^TWO");
    assertThat(Http.get(root("cardiology") + instance + "/metadata", null).body()).contains("CARDIO^TWO")
        .doesNotContain("DEFAULT^ONE");
    // RetrieveURLs keep the client in its partition.
    assertThat(Http.get(root("cardiology") + "/studies?StudyInstanceUID=" + shared.study(), null).body())
        .contains("/dicom-web/partitions/cardiology/studies/" + shared.study());
  }

  @Test
  @Order(1)
  void eachPartitionHasItsChangeFeedAndTheRootOneSpansThemAll() throws Exception {
    assertThat(changedSops("DEFAULT")).contains(shared.sop()).doesNotContain(neuroOnly.sop());
    assertThat(changedSops("cardiology")).containsExactly(shared.sop());
    assertThat(changedSops("neuro")).containsExactly(neuroOnly.sop());
    assertThat(JSON.readTree(Http.get(root("neuro") + "/changefeed/latest", null).body()).path("SopInstanceUid")
        .asText()).isEqualTo(neuroOnly.sop());
    // At the root, as the Azure DICOM service's: every partition's changes, each naming its partition and with
    // metadata whose URLs lead into it.
    JsonNode all = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed?limit=100", null).body());
    List<String> partitions = new ArrayList<>();
    all.forEach(e -> partitions.add(e.path("PartitionName").asText() + ":" + e.path("SopInstanceUid").asText()));
    assertThat(partitions).contains("DEFAULT:" + shared.sop(), "cardiology:" + shared.sop(),
        "neuro:" + neuroOnly.sop());
    JsonNode latest = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed/latest", null).body());
    assertThat(latest.path("PartitionName").asText()).isEqualTo("neuro");
    assertThat(latest.path("Metadata").path("7FE00010").path("BulkDataURI").asText())
        .contains("/dicom-web/partitions/neuro/studies/" + neuroOnly.study());
  }

  @Test
  @Order(1)
  void cFindThroughEachCalledAeSeesItsPartition() throws Exception {
    assertThat(findPatientNames(archive.aeTitle())).containsExactly("DEFAULT^ONE");
    assertThat(findPatientNames(CARDIO_AE)).containsExactly("CARDIO^TWO");
  }

  @Test
  @Order(1)
  void invalidPartitionNameIs400() throws Exception {
    HttpResponse<String> response = Http.get(archive.dicomWeb() + "/partitions/bad%20name/studies", null);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid partition name 'bad name'"); // as written, not %-encoded
    assertThat(Http.get(archive.dicomWeb() + "/partitions/" + "x".repeat(65) + "/studies", null).statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(2)
  void deleteInOnePartitionLeavesTheOther() throws Exception {
    HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(root("cardiology") + "/studies/" + shared.study())).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(patientNames("cardiology", shared.study())).isEmpty();
    assertThat(patientNames(null, shared.study())).containsExactly("DEFAULT^ONE");
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(root("neuro") + "/studies/" + shared.study())).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as("the study is not in neuro").isEqualTo(404);
  }

  // ---- helpers ----

  private List<String> patientNames(String partition, String study) throws Exception {
    return patientNames(partition, study, "");
  }

  private List<String> patientNames(String partition, String study, String moreKeys) throws Exception {
    HttpResponse<String> response = Http.get(root(partition) + "/studies?StudyInstanceUID=" + study
        + "&includefield=PatientName" + moreKeys, null);
    assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
    List<String> names = new ArrayList<>();
    if (response.body().isBlank()) return names;
    for (JsonNode result : JSON.readTree(response.body())) {
      names.add(result.path("00100010").path("Value").path(0).path("Alphabetic").asText());
    }
    return names;
  }

  private List<String> changedSops(String partition) throws Exception {
    HttpResponse<String> response = Http.get(root(partition) + "/changefeed?limit=100", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> sops = new ArrayList<>();
    for (JsonNode entry : JSON.readTree(response.body())) sops.add(entry.path("SopInstanceUid").asText());
    return sops;
  }

  private List<String> findPatientNames(String calledAe) throws Exception {
    Dcmtk.Result find = Dcmtk.run(60, "findscu", "-v", "-S", "-aec", calledAe, "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + shared.study(), "-k", "PatientName", "127.0.0.1",
        String.valueOf(archive.dimsePort()));
    assertThat(find.exitCode()).as(find.output()).isZero();
    List<String> names = new ArrayList<>();
    for (String line : find.output().split("\n")) {
      int at = line.indexOf("(0010,0010) PN [");
      if (at >= 0) names.add(line.substring(at + 16, line.indexOf(']', at)).trim()); // PN padded to even length
    }
    return names;
  }

  /** The data set of a Part 10 file: what a C-STORE carries (the archive adds its own file meta). */
  private static byte[] dataSetOf(byte[] part10) {
    return StoreContract.dataSet(part10);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return Arrays.equals(haystack, needle);
  }
}
