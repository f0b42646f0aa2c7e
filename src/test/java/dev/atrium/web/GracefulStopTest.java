package dev.atrium.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stop while a STOW-RS request is being uploaded lets it finish and answers it. It used to cut the upload off
 * unanswered (the client saw a broken pipe) while the parts already received were stored: the client could not
 * tell what the archive kept.
 */
class GracefulStopTest {
  @Test
  void aStowUnderWayWhenTheArchiveStopsIsFinishedAndAnswered() throws Exception {
    Path dataDir = Files.createTempDirectory("atrium-graceful");
    Path work = Files.createTempDirectory("atrium-graceful-work");
    try (TestArchive archive = new TestArchive(TestDatabase.H2, dataDir)) {
      List<TestInstances.Uids> sent = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        TestInstances.Uids uids = TestInstances.fresh();
        sent.add(uids);
        files.add(TestInstances.ct(work, uids));
      }
      byte[] body = Multipart.body(files.toArray(Path[]::new));
      CompletableFuture<HttpResponse<String>> stow = HttpClient.newHttpClient().sendAsync(
          HttpRequest.newBuilder(URI.create(archive.dicomWeb() + "/studies"))
              .header("Content-Type", Multipart.CONTENT_TYPE)
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(body, 1500))).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500); // the upload is under way
      archive.restart(); // stops (the request finishes meanwhile), then starts again

      HttpResponse<String> response = stow.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      for (TestInstances.Uids uids : sent) {
        assertThat(Http.get(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
            + "/instances/" + uids.sop(), "application/dicom").statusCode()).isEqualTo(200);
      }
    } finally {
      TempFiles.delete(dataDir);
      TempFiles.delete(work);
    }
  }

  /** The bytes, delivered over about {@code millis}. */
  private static InputStream slowly(byte[] bytes, long millis) {
    int chunks = 30;
    int chunk = bytes.length / chunks + 1;
    return new ByteArrayInputStream(bytes) {
      private int delivered;

      @Override
      public synchronized int read(byte[] into, int offset, int length) {
        if (delivered > 0 && delivered % chunk == 0) pause(millis / chunks);
        int n = super.read(into, offset, Math.min(length, chunk - delivered % chunk));
        if (n > 0) delivered += n;
        return n;
      }

      private void pause(long ms) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
