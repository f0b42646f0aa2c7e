package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
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
    Path mount = Files.createTempDirectory("atrium-store-full");
    boolean mounted = Dcmtk.run(30, "mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString())
        .exitCode() == 0;
    try {
      assumeTrue(mounted, "mounting a small tmpfs needs root");
      try (TestArchive archive = new TestArchive(TestDatabase.H2, mount.resolve("data"))) {
        assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
        Path filler = mount.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
          byte[] block = new byte[1 << 16];
          while (true) out.write(block);
        } catch (IOException full) {
          // no space left
        }
        HttpResponse<String> down = Http.get(archive.baseUrl() + "/health", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"store\":\"DOWN: the store's disk is full").doesNotContain(mount.toString());
        Files.delete(filler);
        assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
      }
    } finally {
      if (mounted) Dcmtk.run(30, "umount", mount.toString());
      TempFiles.delete(mount);
    }
  }
}
