package dev.atrium;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FloatSingleAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.FindScu;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TagsApi;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Extended query tags over real HTTP and DIMSE: the Azure DICOM service's API and its errors,
 * the background reindex of what was stored before a tag existed, store-time indexing after,
 * invalid values listed as errors, and matching from QIDO-RS and C-FIND with the standard rules.
 * Tags are global, so each test adds tags of its own.
 */
abstract class ExtendedQueryTagContract extends ArchiveTest {
  static final AttributeTag PRIVATE_FL = new AttributeTag(0x0033, 0x1001);
  static final AttributeTag PRIVATE_CREATOR = new AttributeTag(0x0033, 0x0010);
  static final int MODEL = 0x00081090;
  static final int WEIGHT = 0x00101030;
  static final int ACQUISITION_DATE_TIME = 0x0008002A;
  static final int PERFORMING = 0x00081050;

  TagsApi api;
  /** Study 1 (EQT-P1): series a (i1, i2) and b (i3); study 2 (EQT-P2): i4; study 3 (EQT-P3, bad values): i5. */
  Uids i1;
  Uids i2;
  Uids i3;
  Uids i4;
  Uids i5;
  private boolean mainTagsReady;

  @BeforeAll
  void storeInstances() throws Exception {
    api = new TagsApi(archive.dicomWeb());
    String study1 = TestInstances.newUid();
    String seriesA = TestInstances.newUid();
    i1 = new Uids(study1, seriesA, TestInstances.newUid());
    i2 = new Uids(study1, seriesA, TestInstances.newUid());
    i3 = new Uids(study1, TestInstances.newUid(), TestInstances.newUid());
    i4 = TestInstances.fresh();
    i5 = TestInstances.fresh();
    List<Path> files = new ArrayList<>();
    files.add(instance(i1, "EQT-P1", "ScannerX", "72.5", "20200315101500", "Welby^Marcus", "7", "1000.5", 0.25f));
    files.add(instance(i2, "EQT-P1", "ScannerX", "72.5", "20200316083000", "Welby^Marcus", "8", "500", 1.5f));
    files.add(instance(i3, "EQT-P1", "ScannerY", "72.5", "20210101000000", "Kildare^James", "9", "0", 2.5f));
    files.add(instance(i4, "EQT-P2", "OtherModel", "90", "2019", "Casey^Ben", "12", "250.25", 3.5f));
    files.add(TestInstances.ct(work, i5, Map.of(TagFromName.PatientID, "EQT-P3", TagFromName.AcquisitionDate,
        "notadate", TagFromName.StationName, "A-STATION-NAME-TOO-LONG", TagFromName.PatientAge, "45 years")));
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new)));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
  }

  private Path instance(Uids uids, String patientId, String model, String weight, String acquired, String performer,
      String acquisitionNumber, String bValue, float privateFloat) throws Exception {
    Map<AttributeTag, String> values = new HashMap<>();
    values.put(TagFromName.PatientID, patientId);
    values.put(TagFromName.ManufacturerModelName, model);
    values.put(TagFromName.PatientWeight, weight);
    values.put(TagFromName.AcquisitionDateTime, acquired);
    values.put(TagFromName.PerformingPhysicianName, performer);
    values.put(TagFromName.AcquisitionNumber, acquisitionNumber);
    values.put(new AttributeTag(0x0018, 0x9087), bValue); // DiffusionBValue, FD
    return TestInstances.ct(work, uids, values, list -> privateFloat(list, privateFloat));
  }

  /** A private block (0033,10xx) of creator "ATRIUM TEST" with an FL value. */
  private static void privateFloat(AttributeList list, float value) {
    try {
      LongStringAttribute creator = new LongStringAttribute(PRIVATE_CREATOR);
      creator.addValue("ATRIUM TEST");
      list.put(creator);
      FloatSingleAttribute fl = new FloatSingleAttribute(PRIVATE_FL);
      fl.addValue(value);
      list.put(fl);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tags most tests query: added once, each at its level, waited for. */
  private synchronized void mainTags() throws Exception {
    if (mainTagsReady) return;
    JsonNode op = api.addAndWait("""
        [{"path": "ManufacturerModelName", "vr": "LO", "level": "Series"},
         {"path": "00101030", "level": "Study"},
         {"path": "AcquisitionDateTime", "level": "Instance"},
         {"path": "PerformingPhysicianName", "level": "Series"},
         {"path": "AcquisitionNumber", "level": "Instance"},
         {"path": "DiffusionBValue", "level": "Instance"},
         {"path": "00091027", "vr": "SL", "privateCreator": "GEMS_IDEN_01", "level": "Instance"},
         {"path": "00111010", "vr": "SS", "privateCreator": "GEMS_PATI_01", "level": "Instance"},
         {"path": "00331001", "vr": "FL", "privateCreator": "ATRIUM TEST", "level": "Instance"}]
        """);
    assertThat(op.get("status").asText()).as(op.toString()).isEqualTo("completed");
    assertThat(op.get("percentComplete").asInt()).isEqualTo(100);
    assertThat(op.get("type").asText()).isEqualTo("reindex");
    assertThat(op.get("resources")).hasSize(9);
    mainTagsReady = true;
  }

  // ---- the reindex and QIDO-RS ----

  @Test
  void addedTagsReindexWhatIsStoredAndAreQueryableWithTheStandardMatchingRules() throws Exception {
    mainTags();
    JsonNode model = TagsApi.json(api.get("/extendedquerytags/ManufacturerModelName"));
    assertThat(model.get("status").asText()).isEqualTo("Ready");
    assertThat(model.get("queryStatus").asText()).isEqualTo("Enabled");
    assertThat(model.get("level").asText()).isEqualTo("Series");
    assertThat(model.get("vr").asText()).isEqualTo("LO");
    assertThat(model.get("path").asText()).isEqualTo("00081090");
    assertThat(model.has("errors")).isFalse();

    // single value and wildcards (LO), at series level and from the instance level below
    assertThat(sops("/instances?ManufacturerModelName=ScannerX")).containsExactlyInAnyOrder(i1.sop(), i2.sop());
    assertThat(sops("/instances?ManufacturerModelName=Scanner*")).containsExactlyInAnyOrder(i1.sop(), i2.sop(),
        i3.sop());
    assertThat(uids("/series?00081090=Scanner%3F", "0020000E")).containsExactlyInAnyOrder(i1.series(), i3.series());
    // DS range at study level; the extended tag returned with the match key
    JsonNode studies = qido("/studies?PatientWeight=70-80");
    assertThat(studies).hasSize(1);
    assertThat(studies.get(0).get("0020000D").get("Value").get(0).asText()).isEqualTo(i1.study());
    assertThat(studies.get(0).get("00101030").get("vr").asText()).isEqualTo("DS");
    assertThat(studies.get(0).get("00101030").get("Value").get(0).asDouble()).isEqualTo(72.5);
    assertThat(uids("/studies?PatientWeight=90", "0020000D")).containsExactly(i4.study());
    assertThat(uids("/studies?PatientWeight=72.5-", "0020000D")).containsExactlyInAnyOrder(i1.study(), i4.study());
    // DT ranges, a partial value widening to its span (2019 is the whole year)
    assertThat(sops("/instances?AcquisitionDateTime=20200315-20200316235959")).containsExactlyInAnyOrder(i1.sop(),
        i2.sop());
    assertThat(sops("/instances?AcquisitionDateTime=2021-")).containsExactly(i3.sop());
    assertThat(sops("/instances?AcquisitionDateTime=2019")).containsExactly(i4.sop());
    // PN: case-insensitive, and fuzzy matching like the standard person names
    assertThat(uids("/series?PerformingPhysicianName=welby*", "0020000E")).containsExactly(i1.series());
    assertThat(uids("/series?PerformingPhysicianName=jam&fuzzymatching=true", "0020000E")).containsExactly(i3.series());
    // IS, FD, SL/SS private tags by path, FL private written 0.25f and queried as 0.25
    assertThat(sops("/instances?AcquisitionNumber=8-12")).containsExactlyInAnyOrder(i2.sop(), i3.sop(), i4.sop());
    assertThat(sops("/instances?DiffusionBValue=250.25")).containsExactly(i4.sop());
    assertThat(sops("/instances?DiffusionBValue=400-1000.5")).containsExactlyInAnyOrder(i1.sop(), i2.sop());
    assertThat(sops("/instances?00331001=0.25")).containsExactly(i1.sop());
    assertThat(sops("/instances?PatientID=EQT-P1&00111010=0")).containsExactlyInAnyOrder(i1.sop(), i2.sop(), i3.sop());
    assertThat(sops("/instances?PatientID=EQT-P1&00091027=862399669")).hasSize(3);
  }

  @Test
  void extendedTagsAreReturnedByIncludefieldWithTheirVrAndPrivateCreator() throws Exception {
    mainTags();
    JsonNode match = qido("/instances?SOPInstanceUID=" + i1.sop()
        + "&includefield=ManufacturerModelName,AcquisitionDateTime,PerformingPhysicianName,00331001,DiffusionBValue")
        .get(0);
    assertThat(match.get("00081090").get("Value").get(0).asText()).isEqualTo("ScannerX");
    assertThat(match.get("0008002A").get("vr").asText()).isEqualTo("DT");
    assertThat(match.get("0008002A").get("Value").get(0).asText()).isEqualTo("20200315101500");
    assertThat(match.get("00081050").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("Welby^Marcus");
    assertThat(match.get("00331001").get("vr").asText()).isEqualTo("FL");
    assertThat(match.get("00331001").get("Value").get(0).asDouble()).isEqualTo(0.25);
    assertThat(match.get("00330010").get("Value").get(0).asText()).isEqualTo("ATRIUM TEST");
    assertThat(match.get("00189087").get("Value").get(0).asDouble()).isEqualTo(1000.5);

    JsonNode all = qido("/instances?SOPInstanceUID=" + i4.sop() + "&includefield=all").get(0);
    assertThat(all.get("00101030").get("Value").get(0).asDouble()).isEqualTo(90.0);
    assertThat(all.get("00200012").get("Value").get(0).asInt()).isEqualTo(12);
    // a study-level tag is returned at series level too; an instance-level one is not a series attribute
    JsonNode series = qido("/studies/" + i4.study() + "/series?includefield=PatientWeight,DiffusionBValue").get(0);
    assertThat(series.get("00101030").get("Value").get(0).asDouble()).isEqualTo(90.0);
    assertThat(series.has("00189087")).isFalse();
  }

  @Test
  void extendedTagsMatchAndReturnFromCFind() throws Exception {
    mainTags();
    FindScu.Result images = FindScu.run(archive, work, "-S", "-k", "QueryRetrieveLevel=IMAGE",
        "-k", "StudyInstanceUID=" + i1.study(), "-k", "SeriesInstanceUID=" + i1.series(), "-k", "SOPInstanceUID",
        "-k", "AcquisitionDateTime=20200316-", "-k", "ManufacturerModelName", "-k", "DiffusionBValue");
    assertThat(images.statuses()).containsExactly(0xFF00, 0x0000);
    assertThat(images.matches()).hasSize(1);
    Map<Integer, String> match = images.matches().get(0);
    assertThat(match.get(0x00080018)).isEqualTo(i2.sop());
    assertThat(match.get(ACQUISITION_DATE_TIME)).isEqualTo("20200316083000");
    assertThat(match.get(MODEL)).isEqualTo("ScannerX");
    assertThat(Double.parseDouble(match.get(0x00189087))).isEqualTo(500.0);

    FindScu.Result studies = FindScu.run(archive, work, "-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID", "-k", "PatientWeight=89-91");
    assertThat(studies.matches()).extracting(m -> m.get(0x0020000D)).containsExactly(i4.study());
    assertThat(Double.parseDouble(studies.matches().get(0).get(WEIGHT))).isEqualTo(90.0);

    FindScu.Result series = FindScu.run(archive, work, "-S", "-k", "QueryRetrieveLevel=SERIES",
        "-k", "StudyInstanceUID=" + i1.study(), "-k", "SeriesInstanceUID", "-k", "PerformingPhysicianName=KILDARE*");
    assertThat(series.matches()).extracting(m -> m.get(0x0020000E)).containsExactly(i3.series());
    assertThat(series.matches().get(0).get(PERFORMING)).isEqualTo("Kildare^James");

    // an instance-level tag is not a study attribute: refused with a reason, as for standard keys
    FindScu.Result refused = FindScu.run(archive, work, "-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID", "-k", "DiffusionBValue=500");
    assertThat(refused.matches()).isEmpty();
    assertThat(refused.statuses()).containsExactly(0xA900);
    assertThat(refused.errorComment()).contains("not searchable at study level");
  }

  @Test
  void aPrivateTagMatchesFromCFindOnlyUnderItsCreator() throws Exception {
    mainTags();
    FindScu.Result mine = FindScu.run(archive, work, List.of("-S"), List.of(privateQuery("ATRIUM TEST")));
    assertThat(mine.statuses()).containsExactly(0xFF00, 0x0000);
    assertThat(mine.matches()).hasSize(1);
    Map<Integer, String> match = mine.matches().get(0);
    assertThat(match.get(0x00080018)).isEqualTo(i1.sop());
    assertThat(match.get(0x00330010)).isEqualTo("ATRIUM TEST");
    assertThat(Double.parseDouble(match.get(0x00331001))).isEqualTo(0.25);

    // another creator's (0033,1001) means something else: an unknown optional key (PS3.4 C.4.1.1.4)
    FindScu.Result other = FindScu.run(archive, work, List.of("-S"), List.of(privateQuery("SOMEONE ELSE")));
    assertThat(other.statuses()).containsExactly(0xFF01, 0xFF01, 0x0000);
    assertThat(other.matches()).extracting(m -> m.get(0x00080018)).containsExactlyInAnyOrder(i1.sop(), i2.sop());
  }

  /** An IMAGE-level identifier for series a with (0033,1001) FL = 0.25 in the block of {@code creator}. */
  private Path privateQuery(String creator) throws Exception {
    AttributeList query = new AttributeList();
    Map<AttributeTag, String> keys = Map.of(TagFromName.QueryRetrieveLevel, "IMAGE", TagFromName.StudyInstanceUID,
        i1.study(), TagFromName.SeriesInstanceUID, i1.series(), TagFromName.SOPInstanceUID, "");
    for (var key : keys.entrySet()) {
      var attribute = query.putNewAttribute(key.getKey());
      if (!key.getValue().isEmpty()) attribute.addValue(key.getValue());
    }
    LongStringAttribute block = new LongStringAttribute(PRIVATE_CREATOR);
    block.addValue(creator);
    query.put(block);
    FloatSingleAttribute value = new FloatSingleAttribute(PRIVATE_FL);
    value.addValue(0.25f);
    query.put(value);
    Path file = Files.createTempFile(work, "query", ".dcm");
    query.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, false, true);
    return file;
  }

  // ---- store time ----

  @Test
  void instancesStoredAfterTheTagExistsAreIndexedAtStoreTime() throws Exception {
    api.addAndWait("[{\"path\": \"ContrastBolusAgent\", \"level\": \"Series\"},"
        + " {\"path\": \"EthnicGroup\", \"level\": \"Instance\"}]");
    assertThat(uids("/series?ContrastBolusAgent=NEWAGENT", "0020000E")).isEmpty();
    Uids later = TestInstances.fresh();
    Uids bad = TestInstances.fresh();
    Path file = TestInstances.ct(work, later, Map.of(TagFromName.ContrastBolusAgent, "NEWAGENT",
        TagFromName.EthnicGroup, "LATER"));
    Path invalid = TestInstances.ct(work, bad, Map.of(TagFromName.EthnicGroup, "LONGER THAN SH ALLOWS"));
    Dcmtk.Result store = Dcmtk.run(60, "storescu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort()), file.toString(), invalid.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    assertThat(uids("/series?ContrastBolusAgent=NEWAGENT", "0020000E")).containsExactly(later.series());
    assertThat(sops("/instances?EthnicGroup=LATER")).containsExactly(later.sop());
    // the invalid value was stored anyway and is listed under /errors at once; querying stays enabled
    assertThat(Http.get(archive.dicomWeb() + "/studies/" + bad.study() + "/series/" + bad.series() + "/instances/"
        + bad.sop() + "/metadata", null).statusCode()).isEqualTo(200);
    JsonNode errors = TagsApi.json(api.get("/extendedquerytags/EthnicGroup/errors"));
    assertThat(errors).extracting(e -> e.get("sopInstanceUid").asText()).containsExactly(bad.sop());
    assertThat(errors.get(0).get("errorMessage").asText()).contains("LONGER THAN SH ALLOWS").contains("16");
    JsonNode tag = TagsApi.json(api.get("/extendedquerytags/EthnicGroup"));
    assertThat(tag.get("errors").get("count").asInt()).isEqualTo(1);
    assertThat(tag.get("queryStatus").asText()).isEqualTo("Enabled");
  }

  @Test
  void privateValuesSentInImplicitVrAreReadAsTheTagsVr() throws Exception {
    mainTags();
    Uids implicit = TestInstances.fresh();
    Path file = instance(implicit, "EQT-P4", "ScannerZ", "60", "20220101", "Doe^Jim", "1", "1", 4.5f);
    // implicit VR: the private elements arrive without a VR (UN to the parser) and are decoded as the tag says
    Dcmtk.Result store = Dcmtk.run(60, "storescu", "-xi", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort()), file.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    var instance = dev.atrium.index.schema.Tables.INSTANCE;
    assertThat(archive.index().dsl().select(instance.TRANSFER_SYNTAX_UID).from(instance)
        .where(instance.SOP_INSTANCE_UID.eq(implicit.sop())).fetchOne(instance.TRANSFER_SYNTAX_UID))
        .isEqualTo("1.2.840.10008.1.2");
    assertThat(sops("/instances?00331001=4.5")).containsExactly(implicit.sop());
    assertThat(sops("/instances?PatientID=EQT-P4&00091027=862399669")).containsExactly(implicit.sop());
    assertThat(sops("/instances?PatientID=EQT-P4&00111010=0")).containsExactly(implicit.sop());
    assertThat(TagsApi.json(api.get("/extendedquerytags/00331001")).has("errors")).isFalse();
  }

  // ---- invalid values, query status ----

  @Test
  void invalidValuesAreListedUnderErrorsAndDisableQueryingUntilEnabled() throws Exception {
    JsonNode op = api.addAndWait("[{\"path\": \"AcquisitionDate\", \"level\": \"Instance\"},"
        + " {\"path\": \"PatientAge\", \"level\": \"Study\"}]");
    assertThat(op.get("status").asText()).isEqualTo("completed");
    JsonNode date = TagsApi.json(api.get("/extendedquerytags/AcquisitionDate"));
    assertThat(date.get("status").asText()).isEqualTo("Ready");
    assertThat(date.get("queryStatus").asText()).isEqualTo("Disabled");
    assertThat(date.get("errors").get("count").asInt()).isEqualTo(1);
    assertThat(date.get("errors").get("href").asText()).endsWith("/extendedquerytags/00080022/errors");

    JsonNode errors = TagsApi.json(api.get("/extendedquerytags/00080022/errors"));
    assertThat(errors).hasSize(1);
    JsonNode error = errors.get(0);
    assertThat(error.get("studyInstanceUid").asText()).isEqualTo(i5.study());
    assertThat(error.get("seriesInstanceUid").asText()).isEqualTo(i5.series());
    assertThat(error.get("sopInstanceUid").asText()).isEqualTo(i5.sop());
    assertThat(error.get("errorMessage").asText()).contains("notadate").contains("DA");
    assertThat(error.get("createdTime").asText()).isNotEmpty();
    assertThat(TagsApi.json(api.get("/extendedquerytags/00080022/errors?offset=1&limit=10"))).isEmpty();
    JsonNode age = TagsApi.json(api.get("/extendedquerytags/PatientAge/errors"));
    assertThat(age.get(0).get("errorMessage").asText()).contains("45 years").contains("AS");

    HttpResponse<String> disabled = Http.get(archive.dicomWeb() + "/instances?AcquisitionDate=19970430", null);
    assertThat(disabled.statusCode()).isEqualTo(400);
    assertThat(disabled.body()).contains("Query is disabled on specified attribute 'AcquisitionDate'");

    HttpResponse<String> patched = api.patch("/extendedquerytags/AcquisitionDate", "{\"QueryStatus\": \"Enabled\"}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(TagsApi.json(patched).get("queryStatus").asText()).isEqualTo("Enabled");
    HttpResponse<String> enabled = Http.get(archive.dicomWeb() + "/instances?PatientID=EQT-P1&AcquisitionDate="
        + "19970430", null);
    assertThat(enabled.statusCode()).isEqualTo(200);
    assertThat(enabled.headers().firstValue("erroneous-dicom-attributes")).hasValue("AcquisitionDate");
    assertThat(TagsApi.json(enabled)).hasSize(3); // CT_small's own AcquisitionDate, in the valid instances

    assertThat(api.patch("/extendedquerytags/AcquisitionDate", "{\"queryStatus\": \"disabled\"}").statusCode())
        .isEqualTo(200);
    assertThat(Http.get(archive.dicomWeb() + "/instances?AcquisitionDate=19970430", null).statusCode())
        .isEqualTo(400);
  }

  // ---- delete ----

  @Test
  void deletingATagRemovesItAndItsValues() throws Exception {
    api.addAndWait("[{\"path\": \"ContrastBolusRoute\", \"level\": \"Instance\"}]");
    assertThat(sops("/instances?PatientID=EQT-P1&ContrastBolusRoute=IV")).hasSize(3);
    int key = tagKey(0x00181040);
    assertThat(valueRows("ext_value_string", key)).isGreaterThanOrEqualTo(5);

    assertThat(api.delete("/extendedquerytags/ContrastBolusRoute").statusCode()).isEqualTo(204);
    assertThat(api.get("/extendedquerytags/ContrastBolusRoute").statusCode()).isEqualTo(404);
    assertThat(valueRows("ext_value_string", key)).isZero();
    HttpResponse<String> query = Http.get(archive.dicomWeb() + "/instances?ContrastBolusRoute=IV", null);
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(query.body()).contains("ContrastBolusRoute");
    assertThat(api.delete("/extendedquerytags/ContrastBolusRoute").statusCode()).isEqualTo(404);
    // and it can be added again
    assertThat(api.addAndWait("[{\"path\": \"ContrastBolusRoute\", \"level\": \"Study\"}]").get("status").asText())
        .isEqualTo("completed");
  }

  @Test
  void deletingInstancesRemovesTheirValuesAndErrors() throws Exception {
    api.addAndWait("[{\"path\": \"ReconstructionDiameter\", \"level\": \"Instance\"}]");
    int key = tagKey(0x00181100);
    Uids good = TestInstances.fresh();
    Uids bad = new Uids(good.study(), good.series(), TestInstances.newUid());
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(
        TestInstances.ct(work, good, Map.of(TagFromName.ReconstructionDiameter, "123.5")),
        TestInstances.ct(work, bad, Map.of(TagFromName.ReconstructionDiameter, "wide"))));
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(sops("/instances?ReconstructionDiameter=123.5")).containsExactly(good.sop());
    int rows = valueRows("ext_value_double", key);
    int errors = errorCount(key);
    assertThat(errors).isGreaterThanOrEqualTo(1);

    assertThat(api.delete("/studies/" + good.study()).statusCode()).isEqualTo(204);
    assertThat(valueRows("ext_value_double", key)).isEqualTo(rows - 1);
    assertThat(errorCount(key)).isEqualTo(errors - 1);
    assertThat(archive.index().dsl().fetchCount(EXTENDED_QUERY_TAG_ERROR, EXTENDED_QUERY_TAG_ERROR.TAG_KEY.eq(key)))
        .isEqualTo(errors - 1);
    assertThat(sops("/instances?ReconstructionDiameter=123.5")).isEmpty();
  }

  // ---- partitions ----

  @Test
  void tagsAreGlobalButValuesStayInTheirPartition() throws Exception {
    api.addAndWait("[{\"path\": \"SoftwareVersions\", \"level\": \"Series\"}]");
    Uids here = TestInstances.fresh();
    Uids there = new Uids(here.study(), here.series(), here.sop()); // the same UIDs, another partition
    String partitioned = archive.dicomWeb() + "/partitions/eqt-part";
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(
        TestInstances.ct(work, here, Map.of(TagFromName.SoftwareVersions, "V-DEFAULT")))).statusCode()).isEqualTo(200);
    assertThat(Http.post(partitioned + "/studies", Multipart.CONTENT_TYPE, Multipart.body(
        TestInstances.ct(work, there, Map.of(TagFromName.SoftwareVersions, "V-PART")))).statusCode()).isEqualTo(200);

    assertThat(qido("/series?SoftwareVersions=V-*")).hasSize(1);
    JsonNode inPartition = TagsApi.json(Http.get(partitioned + "/series?SoftwareVersions=V-*&includefield="
        + "SoftwareVersions", null));
    assertThat(inPartition).hasSize(1);
    assertThat(inPartition.get(0).get("00181020").get("Value").get(0).asText()).isEqualTo("V-PART");
    JsonNode listed = TagsApi.json(Http.get(partitioned + "/extendedquerytags/SoftwareVersions", null));
    assertThat(listed.get("status").asText()).isEqualTo("Ready");
  }

  // ---- the API's refusals ----

  @Test
  void refusedTagsSayWhy() throws Exception {
    String[][] refused = { // body, what the 400's message names
        {"{'path': 'PatientName', 'level': 'Study'}", "already supported"},
        {"{'path': 'OtherPatientIDsSequence', 'level': 'Study'}", "sequence"},
        {"{'path': 'NoSuchKeyword', 'level': 'Study'}", "neither a tag"},
        {"{'path': '00101002.00100020', 'level': 'Study'}", "sequences"},
        {"{'path': 'AdditionalPatientHistory', 'level': 'Study'}", "'LT'"},
        {"{'path': 'KVP', 'vr': 'LO', 'level': 'Series'}", "expected VR code"},
        {"{'path': 'KVP', 'vr': 'XX', 'level': 'Series'}", "expected VR code"},
        {"{'path': 'KVP'}", "level"},
        {"{'path': 'KVP', 'level': 'Patient'}", "'Study', 'Series' or 'Instance'"},
        {"{'path': '00091001', 'vr': 'LO', 'level': 'Instance'}", "private creator"},
        {"{'path': '00091001', 'privateCreator': 'X', 'level': 'Instance'}", "VR"},
        {"{'path': '00090010', 'vr': 'LO', 'privateCreator': 'X', 'level': 'Instance'}", "private creator element"},
        {"{'path': 'KVP', 'privateCreator': 'X', 'level': 'Series'}", "standard tag"},
        {"{'path': 'KVP', 'level': 'Series'}, {'path': '00180060', 'level': 'Study'}", "more than once"},
        {"{'path': 'KVP', 'level': 'Series', 'levle': 'x'}", "levle"}};
    for (String[] refusal : refused) expect(api.add("[" + refusal[0].replace('\'', '"') + "]"), 400, refusal[1]);
    expect(api.add("[]"), 400, "no extended query tag");
    expect(api.add("{\"path\": \"KVP\"}"), 400, "array");
    expect(api.add("[{\"path\": "), 400, "not valid JSON");
    expect(api.send("POST", "/extendedquerytags", null), 415, "application/json");
    StringBuilder tooMany = new StringBuilder("[");
    for (int element = 0x1000; element <= 0x1080; element++) {
      tooMany.append(element > 0x1000 ? "," : "").append(String.format("{\"path\": \"0013%04X\", \"vr\": \"LO\", "
          + "\"privateCreator\": \"MANY\", \"level\": \"Instance\"}", element));
    }
    expect(api.add(tooMany.append("]").toString()), 400, "maximum allowed count of 128");
    // nothing of a refused request was added
    assertThat(api.get("/extendedquerytags/KVP").statusCode()).isEqualTo(404);
    assertThat(api.get("/extendedquerytags/00131000").statusCode()).isEqualTo(404);

    api.addAndWait("[{\"path\": \"ExposureTime\", \"level\": \"Instance\"}]");
    expect(api.add("[{\"path\": \"00181150\", \"level\": \"Instance\"}]"), 409, "00181150");
  }

  @Test
  void unknownTagsOperationsAndBadParametersAreClientErrors() throws Exception {
    expect(api.get("/extendedquerytags/PatientSize"), 404, "cannot be found");
    expect(api.get("/extendedquerytags/NotAKeyword"), 400, "neither a tag");
    expect(api.get("/extendedquerytags/PatientSize/errors"), 404, "cannot be found");
    expect(api.delete("/extendedquerytags/PatientSize"), 404, "cannot be found");
    expect(api.patch("/extendedquerytags/PatientSize", "{\"QueryStatus\": \"Enabled\"}"), 404, "cannot be found");
    expect(api.get("/extendedquerytags?limit=0"), 400, "limit");
    expect(api.get("/extendedquerytags?offset=-1"), 400, "offset");
    expect(api.get("/operations/0123456789abcdef0123456789abcdef"), 404, "no operation");
    expect(api.get("/operations/not-an-id"), 400, "not an operation id");

    api.addAndWait("[{\"path\": \"Exposure\", \"level\": \"Instance\"}]");
    expect(api.patch("/extendedquerytags/Exposure", "{\"QueryStatus\": \"Sometimes\"}"), 400, "Enabled or Disabled");
    expect(api.patch("/extendedquerytags/Exposure", "{\"Status\": \"Ready\"}"), 400, "unknown property");
    expect(api.patch("/extendedquerytags/Exposure", "[]"), 400, "object");
    // a tag that is not ready, or never added, is an unknown attribute to queries
    expect(Http.get(archive.dicomWeb() + "/instances?PatientSize=1.8", null), 400, "PatientSize");
    expect(Http.get(archive.dicomWeb() + "/instances?Exposure=abc", null), 400, "is not an integer");
    expect(Http.get(archive.dicomWeb() + "/studies?Exposure=170", null), 400, "not searchable at study level");
  }

  @Test
  void listingPagesThroughTheTags() throws Exception {
    api.addAndWait("[{\"path\": \"XRayTubeCurrent\", \"level\": \"Instance\"}]");
    JsonNode all = TagsApi.json(api.get("/extendedquerytags?limit=200"));
    assertThat(all.size()).isGreaterThanOrEqualTo(1);
    List<String> paths = StreamSupport.stream(all.spliterator(), false).map(t -> t.get("path").asText()).toList();
    assertThat(paths).contains("00181151");
    Set<String> paged = new TreeSet<>();
    for (int offset = 0; offset < paths.size(); offset += 2) {
      TagsApi.json(api.get("/extendedquerytags?limit=2&offset=" + offset)).forEach(t -> paged.add(t.get("path")
          .asText()));
    }
    assertThat(paged).isEqualTo(new TreeSet<>(paths));
  }

  // ---- helpers ----

  private void expect(HttpResponse<String> response, int status, String messagePart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains(messagePart);
  }

  private JsonNode qido(String pathAndQuery) throws Exception {
    HttpResponse<String> response = Http.get(archive.dicomWeb() + pathAndQuery, null);
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return TagsApi.json(response);
  }

  private List<String> uids(String pathAndQuery, String tag) throws Exception {
    return StreamSupport.stream(qido(pathAndQuery).spliterator(), false)
        .map(m -> m.get(tag).get("Value").get(0).asText()).toList();
  }

  private List<String> sops(String pathAndQuery) throws Exception {
    return uids(pathAndQuery, "00080018");
  }

  private int tagKey(int tag) {
    return archive.index().dsl().select(EXTENDED_QUERY_TAG.TAG_KEY).from(EXTENDED_QUERY_TAG)
        .where(EXTENDED_QUERY_TAG.TAG_PATH.eq(String.format("%08X", tag))).fetchOne(EXTENDED_QUERY_TAG.TAG_KEY);
  }

  /** The error count the tag row keeps (what GET reports), not the rows counted. */
  private int errorCount(int key) {
    return archive.index().dsl().fetchOne(EXTENDED_QUERY_TAG, EXTENDED_QUERY_TAG.TAG_KEY.eq(key)).getErrorCount();
  }

  private int valueRows(String table, int key) {
    return archive.index().dsl().fetchCount(org.jooq.impl.DSL.table(org.jooq.impl.DSL.name(table)),
        org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("tag_key")).eq(key));
  }
}
