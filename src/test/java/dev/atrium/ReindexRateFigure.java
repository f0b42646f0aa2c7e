package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.SyntheticInstances;
import dev.atrium.support.TagsApi;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A figure, not part of the suite (the name matches no surefire include; run it with
 * {@code scripts/test -Dtest=ReindexRateFigure}): the reindex rate of 50,000 stored instances
 * (synthetic index rows, each with a real CT's metadata document) on H2 and MariaDB, and C-STORE
 * ingest with storescu while the reindex runs, beside the same ingest before it. Prints the figures.
 */
class ReindexRateFigure {
  static final int INSTANCES = 50_000;
  static final int INGEST = 500;

  @Test
  void h2() throws Exception {
    figure(TestDatabase.H2);
  }

  @Test
  void mariaDb() throws Exception {
    figure(TestDatabase.MARIADB);
  }

  private void figure(TestDatabase database) throws Exception {
    Path dataDir = Files.createTempDirectory("atrium-figure");
    Path work = Files.createTempDirectory("atrium-figure-work");
    try (TestArchive archive = new TestArchive(database, dataDir)) {
      String template = metadataOfOneRealInstance(archive, work);
      long t = System.nanoTime();
      SyntheticInstances.load(archive.index(), dataDir.resolve("blobs"), 0, INSTANCES,
          n -> template.replace("RHAPSODE", SyntheticInstances.model(n)));
      System.out.printf("figure %s: loaded %d synthetic instances in %.1f s%n", database, INSTANCES, seconds(t));

      Path before = work.resolve("before");
      Path during = work.resolve("during");
      String beforeStudy = instances(before);
      String duringStudy = instances(during);
      double idleRate = INGEST / store(archive, before);

      TagsApi api = new TagsApi(archive.dicomWeb());
      long start = System.nanoTime();
      HttpResponse<String> added = api.add("[{\"path\": \"ManufacturerModelName\", \"level\": \"Instance\"},"
          + " {\"path\": \"PatientWeight\", \"level\": \"Study\"}]");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
      String id = TagsApi.json(added).get("id").asText();
      CompletableFuture<double[]> ingest = CompletableFuture.supplyAsync(() -> {
        try {
          double s = store(archive, during);
          int percent = TagsApi.json(api.get("/operations/" + id)).get("percentComplete").asInt();
          return new double[] {s, percent};
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      JsonNode done = api.waitFor(id);
      double reindexSeconds = seconds(start);
      int storedMeanwhile = TagsApi.json(Http.get(archive.dicomWeb() + "/studies/" + duringStudy
          + "/instances?limit=1000", null)).size();
      double[] ingested = ingest.join();
      assertThat(done.get("status").asText()).isEqualTo("completed");

      System.out.printf("figure %s: reindex of %d instances (2 tags) in %.1f s = %.0f instances/s%n", database,
          INSTANCES + INGEST + 1, reindexSeconds, (INSTANCES + INGEST + 1) / reindexSeconds);
      System.out.printf("figure %s: storescu of %d instances, archive idle: %.0f instances/s; started with the "
          + "reindex: %d stored while it ran (%.0f instances/s), all %d in %.1f s = %.0f instances/s (the reindex at "
          + "%d%% when storescu finished)%n", database, INGEST, idleRate, storedMeanwhile, storedMeanwhile / reindexSeconds,
          INGEST, ingested[0], INGEST / ingested[0], (int) ingested[1]);

      // what the reindex wrote and what the store indexed meanwhile can be found
      assertThat(TagsApi.json(Http.get(archive.dicomWeb() + "/instances?ManufacturerModelName="
          + SyntheticInstances.model(7) + "&limit=1000", null))).hasSize(INSTANCES / 1000);
      for (String study : new String[] {beforeStudy, duringStudy}) {
        assertThat(TagsApi.json(Http.get(archive.dicomWeb() + "/studies/" + study
            + "/instances?ManufacturerModelName=RHAPSODE&limit=1000", null))).hasSize(INGEST);
      }
    } finally {
      TempFiles.delete(dataDir);
      TempFiles.delete(work);
    }
  }

  /** Stores CT_small once and returns its stored metadata document, as the template. */
  private static String metadataOfOneRealInstance(TestArchive archive, Path work) throws Exception {
    Path file = TestInstances.ct(work, TestInstances.fresh());
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file)).statusCode())
        .isEqualTo(200);
    return Files.readString(archive.metadataFiles().get(0), StandardCharsets.UTF_8);
  }

  /** INGEST copies of CT_small with their own UIDs, in one new study; returns its UID. */
  private static String instances(Path dir) throws Exception {
    Files.createDirectories(dir);
    AttributeList list = new AttributeList();
    list.read(Corpus.testFile("CT_small.dcm").toFile());
    String study = TestInstances.newUid();
    String series = TestInstances.newUid();
    for (int i = 0; i < INGEST; i++) {
      list.get(TagFromName.StudyInstanceUID).setValue(study);
      list.get(TagFromName.SeriesInstanceUID).setValue(series);
      String sop = TestInstances.newUid();
      list.get(TagFromName.SOPInstanceUID).setValue(sop);
      list.get(TagFromName.MediaStorageSOPInstanceUID).setValue(sop);
      list.write(dir.resolve(i + ".dcm").toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
    return study;
  }

  /** storescu of a directory on one association; the seconds it took. */
  private static double store(TestArchive archive, Path dir) throws Exception {
    long t = System.nanoTime();
    Dcmtk.Result result = Dcmtk.run(600, "storescu", "+sd", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort()), dir.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    return seconds(t);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
