package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestInstances;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The change feed (Azure DICOM service shapes): ordered, complete under concurrent writers. */
abstract class ChangeFeedContract extends ArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aReaderThatRemembersTheLastSequenceSeesEveryInstanceOnceInOrderWhileManyWrite() throws Exception {
    long start = latestSequence();
    List<List<Path>> dimseBatches = new ArrayList<>();
    List<List<Path>> stowBatches = new ArrayList<>();
    Set<String> expected = Collections.synchronizedSet(new HashSet<>());
    for (int writer = 0; writer < 4; writer++) {
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        TestInstances.Uids uids = TestInstances.fresh();
        expected.add(uids.sop());
        files.add(TestInstances.ct(work, uids));
      }
      (writer % 2 == 0 ? dimseBatches : stowBatches).add(files);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> writers = new ArrayList<>();
    for (List<Path> files : dimseBatches) {
      writers.add(pool.submit(() -> {
        List<String> command = new ArrayList<>(List.of("storescu", "-aec", archive.aeTitle(), "127.0.0.1",
            String.valueOf(archive.dimsePort())));
        files.forEach(f -> command.add(f.toString()));
        Dcmtk.Result r = Dcmtk.run(120, command);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return null;
      }));
    }
    for (List<Path> files : stowBatches) {
      writers.add(pool.submit(() -> {
        for (int i = 0; i < files.size(); i += 3) {
          HttpResponse<String> r = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
              Multipart.body(files.subList(i, Math.min(i + 3, files.size())).toArray(Path[]::new)));
          assertThat(r.statusCode()).isEqualTo(200);
        }
        return null;
      }));
    }
    Future<?> done = pool.submit(() -> {
      for (Future<?> w : writers) w.get();
      writing.set(false);
      return null;
    });

    List<Long> sequences = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    long last = start;
    while (true) {
      boolean stillWriting = writing.get();
      JsonNode page = get("/changefeed?offset=" + last + "&limit=100");
      for (JsonNode entry : page) {
        sequences.add(entry.get("Sequence").asLong());
        seen.add(entry.get("SopInstanceUid").asText());
        last = entry.get("Sequence").asLong();
      }
      if (!stillWriting && page.isEmpty()) break;
    }
    done.get();
    pool.shutdown();

    assertThat(sequences).as("strictly increasing").isSorted().doesNotHaveDuplicates();
    assertThat(seen).as("every instance exactly once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
        expected);
  }

  @Test
  void entriesCarryTheAzureShapeAndMetadataOnRequest() throws Exception {
    Instant before = Instant.now().minus(1, ChronoUnit.SECONDS);
    TestInstances.Uids uids = TestInstances.fresh();
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(TestInstances.ct(work, uids))).statusCode()).isEqualTo(200);

    JsonNode latest = get("/changefeed/latest");
    assertThat(latest.get("SopInstanceUid").asText()).isEqualTo(uids.sop());
    assertThat(latest.get("StudyInstanceUid").asText()).isEqualTo(uids.study());
    assertThat(latest.get("SeriesInstanceUid").asText()).isEqualTo(uids.series());
    assertThat(latest.get("Action").asText()).isEqualTo("create");
    assertThat(latest.get("State").asText()).isEqualTo("current");
    assertThat(Instant.parse(latest.get("Timestamp").asText())).isAfter(before);
    assertThat(latest.get("Metadata").get("00080018").get("Value").get(0).asText()).isEqualTo(uids.sop());
    long sequence = latest.get("Sequence").asLong();
    // Metadata by default, as in the Azure DICOM service, and parameter names in any case.
    assertThat(get("/changefeed?offset=" + (sequence - 1)).get(0).has("Metadata")).isTrue();
    assertThat(get("/changefeed?offset=" + (sequence - 1) + "&includemetadata=false").get(0).has("Metadata"))
        .isFalse();
    assertThat(get("/changefeed?OFFSET=" + (sequence - 1) + "&LIMIT=1")).hasSize(1);

    JsonNode window = get("/v2/changefeed?startTime=" + before + "&endTime=" + Instant.now().plusSeconds(5)
        + "&includeMetadata=true");
    assertThat(window).extracting(e -> e.get("SopInstanceUid").asText()).contains(uids.sop());
    assertThat(get("/v2/changefeed?startTime=" + Instant.now().plusSeconds(3600))).isEmpty();
    int inWindow = window.size();
    JsonNode skipped = get("/v2/changefeed?startTime=" + before + "&offset=" + (inWindow - 1));
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).get("Sequence").asLong()).as("offset skips to the window's last entry")
        .isEqualTo(window.get(inWindow - 1).get("Sequence").asLong());
    assertThat(get("/v2/changefeed?startTime=" + before + "&offset=" + inWindow)).isEmpty();
  }

  @Test
  void badParametersGet400() throws Exception {
    for (String path : List.of("/changefeed?limit=101", "/changefeed?limit=0", "/changefeed?offset=abc",
        "/changefeed?includeMetadata=maybe", "/changefeed?includemetadata=maybe", "/changefeed/latest?includemetadata=1",
        "/v2/changefeed?limit=201", "/v2/changefeed?startTime=yesterday",
        "/v2/changefeed?startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z")) {
      HttpResponse<String> r = Http.get(archive.dicomWeb() + path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.body()).as(path).containsAnyOf("limit", "offset", "includeMetadata", "startTime");
    }
  }

  private long latestSequence() throws Exception {
    HttpResponse<String> r = Http.get(archive.dicomWeb() + "/changefeed/latest", null);
    return r.statusCode() == 204 ? 0 : JSON.readTree(r.body()).get("Sequence").asLong();
  }

  /** STOW overwrites, so a re-sent instance shows in the feed as an update (other tests send fresh UIDs). */
  @Override
  AtriumConfig configure(AtriumConfig config) {
    return stowOverwrites(config);
  }

  /**
   * The same instance twice in one STOW request (one index transaction: the second replaces the
   * first before either is committed), then once more: one "current" entry, older ones "replaced",
   * sequences in order, and the study still counts one instance.
   */
  @Test
  void aReplacedInstanceLeavesOneCurrentEntryAndCountsOnce() throws Exception {
    long before = get("/changefeed/latest").get("Sequence").asLong();
    TestInstances.Uids uids = TestInstances.fresh();
    Path file = TestInstances.ct(work, uids);
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file, file))
        .statusCode()).isEqualTo(200);
    assertThat(entriesOf(uids.sop(), before)).extracting(e -> e.get("State").asText())
        .containsExactly("replaced", "current");
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file))
        .statusCode()).isEqualTo(200);

    List<JsonNode> entries = entriesOf(uids.sop(), before);
    assertThat(entries).extracting(e -> e.get("Action").asText()).containsExactly("create", "update", "update");
    assertThat(entries).extracting(e -> e.get("State").asText()).containsExactly("replaced", "replaced", "current");
    assertThat(entries).extracting(e -> e.get("Sequence").asLong()).isSorted().doesNotHaveDuplicates();
    JsonNode study = get("/studies?StudyInstanceUID=" + uids.study()).get(0);
    assertThat(study.get("00201208").get("Value").get(0).asInt()).as("NumberOfStudyRelatedInstances").isEqualTo(1);
  }

  private List<JsonNode> entriesOf(String sop, long after) throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    get("/changefeed?offset=" + after + "&limit=100").forEach(e -> {
      if (e.get("SopInstanceUid").asText().equals(sop)) entries.add(e);
    });
    return entries;
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = Http.get(archive.dicomWeb() + path, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
