package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DELETE of instances, series and studies: the index, the change feed and the files follow. */
abstract class DeleteContract extends ArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void deletingAnInstanceThenASeriesThenTheStudy() throws Exception {
    String study = TestInstances.newUid();
    Uids ct1 = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Uids ct2 = new Uids(study, ct1.series(), TestInstances.newUid());
    Uids mr = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    String patient = "DEL-" + study.substring(study.length() - 10);
    Path[] files = {instance(ct1, "CT", patient), instance(ct2, "CT", patient), instance(mr, "MR", patient)};
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(files)).statusCode())
        .isEqualTo(200);
    int blobsBefore = archive.blobFiles().size();

    assertThat(delete("/studies/" + study + "/series/" + ct1.series() + "/instances/" + ct1.sop())).isEqualTo(204);
    assertThat(Http.get(url(ct1), null).statusCode()).isEqualTo(404);
    JsonNode s = studyQido(study);
    assertThat(s.get("00201208").get("Value").get(0).asInt()).isEqualTo(2);
    assertThat(s.get("00201206").get("Value").get(0).asInt()).isEqualTo(2);
    JsonNode latest = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed/latest", null).body());
    assertThat(latest.get("Action").asText()).isEqualTo("delete");
    assertThat(latest.get("SopInstanceUid").asText()).isEqualTo(ct1.sop());
    assertThat(latest.get("SeriesInstanceUid").asText()).isEqualTo(ct1.series());
    JsonNode created = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed?offset=0&limit=100", null).body());
    for (JsonNode entry : created) {
      if (entry.get("SopInstanceUid").asText().equals(ct1.sop())) {
        assertThat(entry.get("State").asText()).as("every entry of a deleted instance").isEqualTo("deleted");
      }
    }

    assertThat(delete("/studies/" + study + "/series/" + ct1.series())).isEqualTo(204);
    s = studyQido(study);
    assertThat(s.get("00201206").get("Value").get(0).asInt()).isEqualTo(1);
    assertThat(s.get("00080061").get("Value")).extracting(JsonNode::asText).containsExactly("MR");

    assertThat(patientLevelMatches(patient)).isEqualTo(1);
    assertThat(delete("/studies/" + study)).isEqualTo(204);
    assertThat(Http.get(archive.dicomWeb() + "/studies?StudyInstanceUID=" + study, null).body()).isEqualTo("[]");
    // The patient's only study is gone, and so is the patient (its name and ID stayed findable before).
    assertThat(patientLevelMatches(patient)).isZero();
    assertThat(Http.get(url(mr), null).statusCode()).isEqualTo(404);
    waitForFiles(blobsBefore - 3);
    assertThat(archive.blobFiles()).hasSize(archive.instanceRows());
  }

  @Test
  void deletesRacingStoresOfTheSameStudyLeaveAConsistentArchive() throws Exception {
    String study = TestInstances.newUid();
    String series = TestInstances.newUid();
    java.util.List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      files.add(TestInstances.ct(work, new Uids(study, i % 2 == 0 ? series : study + ".9" + i % 3,
          TestInstances.newUid())));
    }
    java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    var stores = java.util.concurrent.CompletableFuture.runAsync(() -> {
      for (Path file : files) {
        try {
          HttpResponse<String> r = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
              Multipart.body(file));
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          JSON.readTree(r.body()).get("00081199").get("Value")
              .forEach(ref -> acknowledged.add(ref.get("00081155").get("Value").get(0).asText()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    int deletes = 0;
    while (!stores.isDone()) {
      int status = delete("/studies/" + study);
      assertThat(status).isIn(204, 404);
      if (status == 204) deletes++;
      Thread.sleep(15);
    }
    stores.join();
    assertThat(acknowledged).hasSize(files.size());

    // Counts match rows; nothing empty is left; every acknowledged instance is present or deleted later.
    var dsl = archive.index().dsl();
    var I = dev.atrium.index.schema.Tables.INSTANCE;
    var SE = dev.atrium.index.schema.Tables.SERIES;
    var ST = dev.atrium.index.schema.Tables.STUDY;
    for (var row : dsl.selectFrom(SE).fetch()) {
      assertThat(dsl.fetchCount(I, I.SERIES_PK.eq(row.getPk()))).as("series count")
          .isEqualTo(row.getNumberOfInstances()).isPositive();
    }
    for (var row : dsl.selectFrom(ST).fetch()) {
      int instances = dsl.fetchCount(I.join(SE).on(SE.PK.eq(I.SERIES_PK)), SE.STUDY_PK.eq(row.getPk()));
      assertThat(instances).as("study instance count").isEqualTo(row.getNumberOfInstances()).isPositive();
      assertThat(dsl.fetchCount(SE, SE.STUDY_PK.eq(row.getPk()))).as("study series count")
          .isEqualTo(row.getNumberOfSeries());
    }
    java.util.Set<String> present = new java.util.HashSet<>(dsl.select(I.SOP_INSTANCE_UID).from(I)
        .fetch(I.SOP_INSTANCE_UID));
    JsonNode feed = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed?offset=0&limit=100", null).body());
    java.util.Map<String, String> lastAction = new java.util.HashMap<>();
    long after = 0;
    while (feed.size() > 0) {
      for (JsonNode e : feed) {
        lastAction.put(e.get("SopInstanceUid").asText(), e.get("Action").asText());
        after = e.get("Sequence").asLong();
      }
      feed = JSON.readTree(Http.get(archive.dicomWeb() + "/changefeed?offset=" + after + "&limit=100", null).body());
    }
    for (String sop : acknowledged) {
      assertThat(present.contains(sop) ? "create" : "delete").as(sop).isEqualTo(lastAction.get(sop));
    }
    waitForFiles(archive.instanceRows());
    assertThat(deletes).as("the race happened").isPositive();
  }

  @Test
  void nothingToDeleteIs404AndABadUidIs400() throws Exception {
    assertThat(delete("/studies/1.2.3.4.5.6")).isEqualTo(404);
    assertThat(delete("/studies/1.2.3/series/1.2.4/instances/1.2.5")).isEqualTo(404);
    assertThat(delete("/studies/1.02.3")).isEqualTo(400);
    assertThat(delete("/studies/1.2.3/series/abc")).isEqualTo(400);
  }

  private Path instance(Uids uids, String modality) throws Exception {
    return TestInstances.ct(work, uids, Map.<AttributeTag, String>of(TagFromName.Modality, modality));
  }

  private Path instance(Uids uids, String modality, String patientId) throws Exception {
    return TestInstances.ct(work, uids, Map.<AttributeTag, String>of(TagFromName.Modality, modality,
        TagFromName.PatientID, patientId));
  }

  /** Patient Root C-FIND at PATIENT level: how many patients match. */
  private int patientLevelMatches(String patientId) throws Exception {
    Dcmtk.Result find = Dcmtk.run(60, "findscu", "-v", "-P", "-aec", archive.aeTitle(), "-k", "0008,0052=PATIENT",
        "-k", "PatientID=" + patientId, "127.0.0.1", String.valueOf(archive.dimsePort()));
    assertThat(find.exitCode()).as(find.output()).isZero();
    return find.output().split("Find Response: \\d+ \\(Pending\\)", -1).length - 1;
  }

  private String url(Uids u) {
    return archive.dicomWeb() + "/studies/" + u.study() + "/series/" + u.series() + "/instances/" + u.sop();
  }

  private JsonNode studyQido(String study) throws Exception {
    return JSON.readTree(Http.get(archive.dicomWeb() + "/studies?StudyInstanceUID=" + study, null).body()).get(0);
  }

  private int delete(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(archive.dicomWeb() + path)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Files go after the commit, in the background: poll for a bounded time. */
  private void waitForFiles(int expected) throws Exception {
    for (int i = 0; i < 100 && archive.blobFiles().size() != expected; i++) Thread.sleep(50);
    assertThat(archive.blobFiles()).hasSize(expected);
  }
}
