package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.FhirSettings;
import dev.atrium.support.FhirTestServer;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Figures for DICOMcast, not part of the suite (run it by name: -Dtest=FhirSyncBenchmark): a
 * 2,000-instance STOW-RS ingest (20 studies of 100) into an archive on H2 syncing to the in-process
 * HAPI FHIR JPA server with the default batch size and poll interval; prints the sync's throughput
 * and the largest lag seen. Then 1,000 more stored while the FHIR server is off the network: how
 * fast the sync works off a backlog once it is back.
 */
class FhirSyncBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STUDIES = 20;
  private static final int PER_STUDY = 100;

  @Test
  void twoThousandInstances() throws Exception {
    Path data = Files.createTempDirectory("atrium-data");
    Path work = Files.createTempDirectory("atrium-work");
    List<Path> files = instances(work, STUDIES);
    List<Path> backlog = instances(work, STUDIES / 2);
    try (FhirTestServer fhir = new FhirTestServer(new URL("http://127.0.0.1:9/jwks"));
        TestArchive archive = new TestArchive(TestDatabase.H2, data, c -> c.withFhir(new FhirSettings(true,
            fhir.baseUrl(), "", new FhirSettings.Auth(FhirSettings.AuthType.BASIC, FhirTestServer.USER,
                FhirTestServer.PASSWORD, "", "", "", ""), c.fhir().batchSize(), c.fhir().pollIntervalMs(),
            c.fhir().onLastInstanceDeleted(), Map.of())))) {
      AtomicLong maxLag = new AtomicLong();
      Thread sampler = new Thread(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            maxLag.accumulateAndGet(status(archive).get("lag").asLong(), Math::max);
            Thread.sleep(250);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long start = System.nanoTime();
      sampler.start();
      stow(archive, files);
      long ingested = System.nanoTime();
      awaitSynced(archive);
      long synced = System.nanoTime();
      sampler.interrupt();
      sampler.join();
      double ingestSeconds = (ingested - start) / 1e9;
      double syncSeconds = (synced - start) / 1e9;
      System.out.printf("FHIR sync benchmark: %d instances in %d studies; STOW ingest %.1f s (%.0f instances/s); "
              + "reflected in FHIR %.1f s after the first store (%.0f instances/s), %.1f s after the last; "
              + "largest lag %d sequences%n", files.size(), STUDIES, ingestSeconds, files.size() / ingestSeconds,
          syncSeconds, files.size() / syncSeconds, (synced - ingested) / 1e9, maxLag.get());

      fhir.goOffline();
      stow(archive, backlog);
      fhir.goOnline();
      long back = System.nanoTime();
      awaitSynced(archive);
      double catchUp = (System.nanoTime() - back) / 1e9;
      System.out.printf("FHIR sync benchmark: a backlog of %d instances reflected in FHIR %.1f s after the FHIR "
          + "server came back (%.0f instances/s, including the first retry's backoff)%n", backlog.size(), catchUp,
          backlog.size() / catchUp);
    } finally {
      TempFiles.delete(data);
      TempFiles.delete(work);
    }
  }

  private static List<Path> instances(Path work, int studies) throws Exception {
    List<Path> files = new ArrayList<>();
    for (int s = 0; s < studies; s++) {
      String study = TestInstances.newUid();
      Map<AttributeTag, String> patient = Map.of(TagFromName.PatientID, "BENCH-" + study);
      for (int i = 0; i < PER_STUDY; i++) {
        files.add(TestInstances.ct(work, new Uids(study, study + "." + (i % 2), TestInstances.newUid()), patient));
      }
    }
    return files;
  }

  private static void stow(TestArchive archive, List<Path> files) throws Exception {
    for (int i = 0; i < files.size(); i += 50) {
      var r = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
          Multipart.body(files.subList(i, i + 50).toArray(Path[]::new)));
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  private static void awaitSynced(TestArchive archive) throws Exception {
    JsonNode s = status(archive);
    for (int i = 0; i < 6000 && !(s.get("lag").asLong() == 0 && s.get("state").asText().equals("idle")); i++) {
      Thread.sleep(100);
      s = status(archive);
    }
    assertThat(s.get("lag").asLong()).isZero();
  }

  private static JsonNode status(TestArchive archive) throws Exception {
    return JSON.readTree(Http.get(archive.baseUrl() + "/fhir-sync", null).body());
  }
}
