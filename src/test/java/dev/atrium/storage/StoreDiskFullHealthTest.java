package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.SmallTmpfs;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * /health on a full disk (a 32 MB tmpfs; root is needed to mount it). It answered UP with no space left, since
 * its probe, an empty file made and deleted, still succeeds on a full file system.
 */
class StoreDiskFullHealthTest {
  @Test
  void aFullStoreDiskIsDown() throws Exception {
    try (SmallTmpfs disk = SmallTmpfs.mount(null, "32m");
         TestArchive archive = new TestArchive(TestDatabase.H2, disk.path().resolve("data"))) {
      assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
      Path filler = disk.path().resolve("filler");
      SmallTmpfs.fill(filler, 0);
      HttpResponse<String> down = Http.get(archive.baseUrl() + "/health", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"store\":\"DOWN: the store's disk is full")
          .doesNotContain(disk.path().toString());
      Files.delete(filler);
      assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
    }
  }
}
