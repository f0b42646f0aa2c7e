package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.StoreScpProcess;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded index on a disk that fills up, for real: a 4 MB tmpfs under data/index (so root is needed to mount
 * it; skipped elsewhere). H2 closes its database when a write fails, and answered every statement with "database
 * has been closed" from then on: the archive stayed up refusing every store after the space was back. Now the
 * process starts the archive again once it can, and the journal brings back what was acknowledged.
 */
class IndexDiskFullTest {
  @Test
  void afterTheIndexDiskFilledAndSpaceCameBackTheArchiveStoresAgainWithEverythingAcknowledged() throws Exception {
    Path root = Files.createTempDirectory("atrium-diskfull");
    Path index = Files.createDirectories(root.resolve("data").resolve("index"));
    Path work = Files.createDirectories(root.resolve("work"));
    boolean mounted = Dcmtk.run(30, "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", index.toString()).exitCode() == 0;
    Process server = null;
    try {
      assumeTrue(mounted, "mounting a small tmpfs needs root");
      int httpPort = StoreScpProcess.freePort();
      Path log = root.resolve("server.log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.atrium.Main")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(variable -> variable.startsWith("ATRIUM_"));
      builder.environment().put("ATRIUM_DATA_DIR", root.resolve("data").toString());
      builder.environment().put("ATRIUM_HTTP_PORT", String.valueOf(httpPort));
      builder.environment().put("ATRIUM_DIMSE_PORT", String.valueOf(StoreScpProcess.freePort()));
      server = builder.start();
      String dicomWeb = "http://127.0.0.1:" + httpPort + "/dicom-web";
      awaitHealth(httpPort, 200, log);

      List<TestInstances.Uids> acknowledged = new ArrayList<>();
      storeOne(dicomWeb, work, acknowledged);
      Path filler = index.resolve("filler");
      fill(filler);
      // Stores now fail once H2 writes its pages; none of them may be acknowledged falsely.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      java.util.Set<Integer> queryStatuses = new java.util.TreeSet<>();
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
      awaitHealth(httpPort, 200, log);
      int before = acknowledged.size();
      storeOne(dicomWeb, work, acknowledged);
      assertThat(acknowledged).as("a store succeeds again, without a restart of the process").hasSize(before + 1);
      for (TestInstances.Uids uids : acknowledged) {
        assertThat(Http.get(dicomWeb + "/studies/" + uids.study() + "/series/" + uids.series() + "/instances/"
            + uids.sop(), "application/dicom").statusCode()).as(uids.sop()).isEqualTo(200);
      }
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);
      }
      if (mounted) Dcmtk.run(30, "umount", index.toString());
      TempFiles.delete(root);
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

  private static void fill(Path filler) {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) out.write(block);
    } catch (IOException full) {
      // No space left on device: what the test wants
    }
  }

  private static void awaitHealth(int port, int status, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        if (Http.get("http://127.0.0.1:" + port + "/health", null).statusCode() == status) return;
      } catch (IOException notListening) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("/health never answered " + status + ":\n" + Files.readString(log));
  }
}
