package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.MainProcess;
import dev.atrium.support.Multipart;
import dev.atrium.support.SmallTmpfs;
import dev.atrium.support.StoreScpProcess;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded index on a disk that fills up, for real: a 32 MB tmpfs under data/index (so root is needed to mount
 * it; skipped elsewhere). H2 closes its database when a write fails, and answered every statement with "database
 * has been closed" from then on: the archive stayed up refusing every store after the space was back. Now the
 * process starts the archive again once it can, and the journal brings back what was acknowledged. /health reports
 * the full disk at once, not only once H2 has failed a write.
 */
class IndexDiskFullTest {
  @Test
  void afterTheIndexDiskFilledAndSpaceCameBackTheArchiveStoresAgainWithEverythingAcknowledged() throws Exception {
    Path root = Files.createTempDirectory("atrium-diskfull");
    Path work = Files.createDirectories(root.resolve("work"));
    try (SmallTmpfs index = SmallTmpfs.mount(root.resolve("data").resolve("index"), "32m")) {
      int httpPort = StoreScpProcess.freePort();
      Path log = root.resolve("server.log");
      Process server = MainProcess.start(Map.of("ATRIUM_DATA_DIR", root.resolve("data").toString(), "ATRIUM_HTTP_PORT",
          String.valueOf(httpPort), "ATRIUM_DIMSE_PORT", String.valueOf(StoreScpProcess.freePort())), "256m", log);
      try {
        fillAndRecover(index, httpPort, log, work);
      } finally {
        server.destroy(); // before the tmpfs is unmounted: its files are the server's
        server.waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      TempFiles.delete(root);
    }
  }

  /** Fills the index disk, waits for the restart, frees the space and checks what was acknowledged. */
  private static void fillAndRecover(SmallTmpfs index, int httpPort, Path log, Path work)
      throws Exception {
    String dicomWeb = "http://127.0.0.1:" + httpPort + "/dicom-web";
    awaitHealth(httpPort, 200, log, 90);

    List<TestInstances.Uids> acknowledged = new ArrayList<>();
    storeOne(dicomWeb, work, acknowledged);
    Path filler = index.path().resolve("filler");
    SmallTmpfs.fill(filler, 0);
    // Before anything writes: H2 still answers, but a load balancer must hear that this node cannot store.
    String down = awaitHealth(httpPort, 503, log, 5);
    assertThat(down).contains("the index's disk is full");
    // Stores now fail once H2 writes its pages; none of them may be acknowledged falsely.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<Integer> queryStatuses = new TreeSet<>();
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("restarting the archive")
        && System.nanoTime() < deadline) {
      storeOne(dicomWeb, work, acknowledged);
      try {
        queryStatuses.add(Http.get(dicomWeb + "/studies?limit=1", null).statusCode());
      } catch (IOException restarting) {
        // between a stop and the new start
      }
      Thread.sleep(200);
    }
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("restarting the archive");
    assertThat(queryStatuses).as("an unusable index is 503, not 500").isSubsetOf(200, 503);

    Files.delete(filler);
    awaitHealth(httpPort, 200, log, 90);
    int before = acknowledged.size();
    storeOne(dicomWeb, work, acknowledged);
    assertThat(acknowledged).as("a store succeeds again, without a restart of the process").hasSize(before + 1);
    for (TestInstances.Uids uids : acknowledged) {
      assertThat(Http.get(dicomWeb + "/studies/" + uids.study() + "/series/" + uids.series() + "/instances/"
          + uids.sop(), "application/dicom").statusCode()).as(uids.sop()).isEqualTo(200);
    }
  }

  /** One STOW; its UIDs are kept when it was acknowledged (200). */
  private static void storeOne(String dicomWeb, Path work, List<TestInstances.Uids> acknowledged) throws Exception {
    TestInstances.Uids uids = TestInstances.fresh();
    HttpResponse<String> stow;
    try {
      stow = Http.post(dicomWeb + "/studies", Multipart.CONTENT_TYPE, Multipart.body(TestInstances.ct(work, uids)));
    } catch (IOException restarting) {
      return; // the archive is between a stop and its new start
    }
    if (stow.statusCode() == 200) acknowledged.add(uids);
  }

  /** Waits up to {@code seconds} for /health to answer {@code status}; returns its body. */
  private static String awaitHealth(int port, int status, Path log, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> health = Http.get("http://127.0.0.1:" + port + "/health", null);
        if (health.statusCode() == status) return health.body();
      } catch (IOException notListening) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/health never answered " + status + ":\n" + Files.readString(log));
  }
}
