package dev.atrium.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /metrics as a monitoring system reads it: Prometheus's own promtool accepts the exposition, and the counts
 * follow what dcmtk and HTTP clients did (stores by outcome, associations, requests by service and status,
 * C-GET sub-operations, bytes sent).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {
  private TestArchive archive;
  private Path dataDir;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-metrics");
    work = Files.createTempDirectory("atrium-metrics-work");
    archive = new TestArchive(TestDatabase.H2, dataDir);
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  @Test
  void theCountsFollowWhatClientsDid() throws Exception {
    TestInstances.Uids firstUids = TestInstances.fresh();
    Path first = TestInstances.ct(work, firstUids);
    Path second = TestInstances.ct(work, TestInstances.fresh());
    String port = Integer.toString(archive.dimsePort());
    assertThat(Dcmtk.run(60, "echoscu", "-aec", "ATRIUM", "127.0.0.1", port).exitCode()).isZero();
    Dcmtk.Result store = Dcmtk.run(60, "storescu", "-aec", "ATRIUM", "127.0.0.1", port, first.toString(),
        second.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    Path received = Files.createDirectories(work.resolve("received"));
    Dcmtk.Result get = Dcmtk.run(60, "getscu", "-S", "-aec", "ATRIUM", "-od", received.toString(), "-k",
        "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + firstUids.study(), "127.0.0.1", port);
    assertThat(get.exitCode()).as(get.output()).isZero();
    Path third = TestInstances.ct(work, TestInstances.fresh());
    assertThat(stow(third).statusCode()).isEqualTo(200);
    assertThat(stow(third).statusCode()).isEqualTo(409); // 45070: already stored
    assertThat(Http.get(archive.dicomWeb() + "/studies", "application/dicom+json").statusCode()).isEqualTo(200);
    for (String study : List.of(firstUids.study(), TestInstances.fresh().study())) { // stored, and unknown
      Http.get(archive.dicomWeb() + "/studies/" + study + "/metadata", "application/dicom+json");
    }
    assertThat(Http.get(archive.dicomWeb() + "/no-such-resource", null).statusCode()).isEqualTo(404);

    String metrics = waitForNoOpenAssociation();
    assertThat(value(metrics, "atrium_store_instances_total{outcome=\"stored\",reason=\"\"}")).isEqualTo(3);
    assertThat(value(metrics, "atrium_store_instances_total{outcome=\"failed\",reason=\"duplicate\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_dimse_associations_total{outcome=\"accepted\"}")).isEqualTo(3);
    assertThat(value(metrics, "atrium_dimse_suboperations_total{service=\"get\",outcome=\"completed\"}"))
        .isEqualTo(1);
    assertThat(value(metrics, "atrium_dimse_suboperations_total{service=\"get\",outcome=\"failed\"}")).isZero();
    assertThat(value(metrics, "atrium_dimse_requests_total{service=\"echo\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_dimse_requests_total{service=\"store\"}")).isEqualTo(2);
    String stowRoute = "method=\"POST\",route=\"/dicom-web/studies\"";
    assertThat(value(metrics, "atrium_http_requests_total{" + stowRoute + ",code=\"200\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_http_requests_total{" + stowRoute + ",code=\"409\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_http_request_duration_seconds_count{" + stowRoute + "}")).isEqualTo(2);
    assertThat(value(metrics, "atrium_http_request_duration_seconds_bucket{" + stowRoute + ",le=\"+Inf\"}"))
        .isEqualTo(2);
    // One series per route, whatever the UIDs: the stored study's metadata and an unknown study's 404.
    String metadataRoute = "method=\"GET\",route=\"/dicom-web/studies/{study}/metadata\"";
    assertThat(value(metrics, "atrium_http_requests_total{" + metadataRoute + ",code=\"200\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_http_requests_total{" + metadataRoute + ",code=\"404\"}")).isEqualTo(1);
    assertThat(value(metrics, "atrium_http_response_bytes_total{" + metadataRoute + "}")).isPositive();
    assertThat(value(metrics, "atrium_http_requests_total{method=\"GET\",route=\"none\",code=\"404\"}"))
        .isEqualTo(1);
    assertThat(metrics).doesNotContain(firstUids.study());
    assertThat(value(metrics, "atrium_store_free_bytes")).isPositive();
    assertThat(value(metrics, "atrium_jvm_heap_used_bytes")).isPositive();
  }

  @Test
  void prometheusAcceptsTheExposition() throws Exception {
    HttpResponse<String> response = Http.get(archive.baseUrl() + "/metrics", "text/plain");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    Path exposition = work.resolve("metrics.txt");
    Files.writeString(exposition, response.body(), StandardCharsets.UTF_8);
    // promtool parses it as Prometheus does and lints it (names, units, HELP); it says nothing when all is well.
    Dcmtk.Result lint = Dcmtk.run(60, List.of("sh", "-c", "promtool check metrics < " + exposition));
    assertThat(lint.exitCode()).as(lint.output()).isZero();
    assertThat(lint.output()).isEmpty();
  }

  /** An association's end is counted as the server thread finishes it, just after the client has gone. */
  private String waitForNoOpenAssociation() throws Exception {
    String metrics = null;
    for (int i = 0; i < 50; i++) {
      metrics = Http.get(archive.baseUrl() + "/metrics", "text/plain").body();
      if (value(metrics, "atrium_dimse_associations_open") == 0) return metrics;
      Thread.sleep(100);
    }
    return metrics;
  }

  private HttpResponse<String> stow(Path file) throws Exception {
    return Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file));
  }

  private static double value(String metrics, String sample) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
    assertThat(line.find()).as("%s in:%n%s", sample, metrics).isTrue();
    return Double.parseDouble(line.group(1));
  }
}
