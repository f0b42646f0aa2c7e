package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** GET /health answers 200 only while the index answers and the store can be written. */
class HealthTest extends ArchiveTest {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }

  @Test
  void healthFollowsTheStore() throws Exception {
    assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
    Path staging;
    try (Stream<Path> own = Files.list(dataDir.resolve("blobs").resolve(".staging"))) {
      staging = own.filter(Files::isDirectory).findFirst().orElseThrow(); // this process's staging directory
    }
    TempFiles.delete(staging); // as root, permissions would not stop a write: remove the directory instead
    try {
      HttpResponse<String> down = Http.get(archive.baseUrl() + "/health", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"store\":\"DOWN").as("no server path to an unauthenticated caller")
          .doesNotContain(dataDir.toString());
    } finally {
      Files.createDirectories(staging);
    }
    assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void healthFollowsTheIndex() throws Exception {
    archive.index().dsl().execute("SET EXCLUSIVE 1"); // H2: other sessions cannot use the database
    try {
      HttpResponse<String> down = Http.get(archive.baseUrl() + "/health", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).contains("\"index\":\"DOWN");
    } finally {
      archive.index().dsl().execute("SET EXCLUSIVE 0");
    }
    assertThat(Http.get(archive.baseUrl() + "/health", null).statusCode()).isEqualTo(200);
  }
}
