package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TagsApi;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The overwrite policy corrects an instance: what queries find of its patient, study and series (standard and
 * extended query tag attributes alike) becomes what the corrected instance says, as a retrieve returns it.
 * Before, only the instance row and extended values changed: QIDO and C-FIND kept the old Patient ID.
 */
abstract class OverwriteContract extends ArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  AtriumConfig configure(AtriumConfig config) {
    return stowOverwrites(config);
  }

  @Test
  void anOverwrittenInstanceCorrectsItsPatientStudyAndSeries() throws Exception {
    JsonNode op = new TagsApi(archive.dicomWeb()).addAndWait(
        "[{\"path\": \"ManufacturerModelName\", \"vr\": \"LO\", \"level\": \"Series\"}]");
    assertThat(op.get("status").asText()).as(op.toString()).isEqualTo("completed");
    Uids first = TestInstances.fresh();
    Uids second = new Uids(first.study(), first.series(), TestInstances.newUid());
    Map<AttributeTag, String> wrong = Map.of(TagFromName.PatientID, "OW-OLD", TagFromName.PatientName, "Wrong^Name",
        TagFromName.AccessionNumber, "OW-ACC1", TagFromName.SeriesDescription, "OW-DESC1",
        TagFromName.Modality, "CT", TagFromName.ManufacturerModelName, "OW-MODEL1");
    stow(TestInstances.ct(work, first, wrong));
    stow(TestInstances.ct(work, second, wrong)); // a later instance of the same series, not corrected
    assertThat(studies("PatientID=OW-OLD")).isEqualTo(1);

    stow(TestInstances.ct(work, first, Map.of(TagFromName.PatientID, "OW-NEW", TagFromName.PatientName,
        "Right^Name", TagFromName.AccessionNumber, "OW-ACC2", TagFromName.SeriesDescription, "OW-DESC2",
        TagFromName.Modality, "MR", TagFromName.ManufacturerModelName, "OW-MODEL2")));

    assertThat(studies("PatientID=OW-NEW")).isEqualTo(1);
    assertThat(studies("PatientID=OW-OLD")).isZero();
    assertThat(studies("PatientName=Right%5EName")).isEqualTo(1);
    assertThat(studies("AccessionNumber=OW-ACC2")).isEqualTo(1);
    assertThat(studies("ModalitiesInStudy=MR")).isEqualTo(1);
    assertThat(studies("ModalitiesInStudy=CT")).isZero();
    assertThat(count("/series?SeriesDescription=OW-DESC2")).isEqualTo(1);
    assertThat(count("/series?SeriesDescription=OW-DESC1")).isZero();
    assertThat(count("/series?ManufacturerModelName=OW-MODEL2")).isEqualTo(1);
    assertThat(count("/series?ManufacturerModelName=OW-MODEL1")).isZero();
    assertThat(count("/instances?PatientID=OW-NEW")).isEqualTo(2);

    // C-FIND agrees, and the patient left without studies is gone from the patient level.
    assertThat(findPatients("OW-NEW")).contains("Right^Name");
    assertThat(findPatients("OW-OLD")).doesNotContain("Wrong^Name");
  }

  private void stow(Path file) throws Exception {
    HttpResponse<String> response = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(file));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private int studies(String keys) throws Exception {
    return count("/studies?" + keys);
  }

  private int count(String query) throws Exception {
    HttpResponse<String> response = Http.get(archive.dicomWeb() + query, null);
    assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
    return response.body().isBlank() ? 0 : JSON.readTree(response.body()).size();
  }

  private String findPatients(String patientId) throws Exception {
    Dcmtk.Result find = Dcmtk.run(60, "findscu", "-v", "--show-responses", "-P", "-aec", archive.aeTitle(),
        "-k", "0008,0052=PATIENT", "-k", "PatientID=" + patientId, "-k", "PatientName", "127.0.0.1",
        String.valueOf(archive.dimsePort()));
    assertThat(find.exitCode()).as(find.output()).isZero();
    return find.output();
  }
}
