package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.InstanceOfAssertFactories;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * QIDO-RS over real HTTP against a known set of studies (PS3.18 10.6, matching PS3.4 C.2.2.2).
 * Each test's patient IDs are unique to this class's data, so results are exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueryContract extends ArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String tag = Long.toString(System.nanoTime() % 100000);
  /** Study A: DOE^JOHN, 2015, CT (2 series, 3 instances); B: DOE^JANE, 2019, MR; C: SMITH^JOHANNA, 2021, CT+MR. */
  Uids a1;
  Uids a2;
  Uids a3;
  Uids b1;
  Uids c1;
  Uids c2;
  /** Outside the ACC-* accession numbers the other tests count: a name with letters no decomposition unaccents. */
  Uids d1;

  @BeforeAll
  void storeStudies() throws Exception {
    String studyA = TestInstances.newUid();
    String seriesA1 = TestInstances.newUid();
    a1 = new Uids(studyA, seriesA1, TestInstances.newUid());
    a2 = new Uids(studyA, seriesA1, TestInstances.newUid());
    a3 = new Uids(studyA, TestInstances.newUid(), TestInstances.newUid());
    b1 = TestInstances.fresh();
    String studyC = TestInstances.newUid();
    c1 = new Uids(studyC, TestInstances.newUid(), TestInstances.newUid());
    c2 = new Uids(studyC, TestInstances.newUid(), TestInstances.newUid());
    List<Path> files = new ArrayList<>();
    for (Uids u : List.of(a1, a2, a3)) files.add(instance(u, "DOE^JOHN", "PA" + tag, "20150614", "ACC-A" + tag, "CT"));
    files.add(instance(b1, "Doe^Jane", "PB" + tag, "20190102", "ACC-B" + tag, "MR"));
    files.add(instance(c1, "SMITH^JOHANNA", "PC" + tag, "20211231", "ACC-C" + tag, "CT"));
    files.add(instance(c2, "SMITH^JOHANNA", "PC" + tag, "20211231", "ACC-C" + tag, "MR"));
    d1 = TestInstances.fresh();
    Path danish = instance(d1, "X", "PD" + tag, "20200101", "NAME-D" + tag, "OT");
    Dcmtk.Result utf8 = Dcmtk.run(60, "dcmodify", "-nb", "-i", "(0008,0005)=ISO_IR 192", "-m",
        "(0010,0010)=Sørensen^Åse", danish.toString()); // the name's bytes as given: UTF-8
    assertThat(utf8.exitCode()).as(utf8.output()).isZero();
    files.add(danish);
    files.add(Corpus.pydicomData().resolve("charset_files/chrFren.dcm"));
    files.add(Corpus.pydicomData().resolve("charset_files/chrH31.dcm")); // Yamada^Tarou=山田^太郎=やまだ^たろう
    files.add(Corpus.pydicomData().resolve("charset_files/chrI2.dcm")); // Hong^Gildong=洪^吉洞=홍^길동
    HttpResponse<String> stored = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new)));
    assertThat(stored.statusCode()).as(stored.body()).isIn(200, 409, 202);
  }

  private Path instance(Uids u, String name, String patientId, String date, String accession, String modality)
      throws Exception {
    return TestInstances.ct(work, u, Map.<AttributeTag, String>of(TagFromName.PatientName, name,
        TagFromName.PatientID, patientId, TagFromName.StudyDate, date, TagFromName.AccessionNumber, accession,
        TagFromName.Modality, modality, TagFromName.SeriesNumber, modality.equals("CT") ? "1" : "2"));
  }

  // ---- matching ----

  @Test
  void singleValueMatchingAndDefaultStudyAttributes() throws Exception {
    JsonNode studies = qido("/studies?PatientID=PA" + tag);
    assertThat(studies).hasSize(1);
    JsonNode a = studies.get(0);
    assertThat(text(a, "0020000D")).isEqualTo(a1.study());
    assertThat(a.get("00201206").get("Value").get(0).asInt()).as("NumberOfStudyRelatedSeries").isEqualTo(2);
    assertThat(a.get("00201208").get("Value").get(0).asInt()).as("NumberOfStudyRelatedInstances").isEqualTo(3);
    assertThat(text(a, "00080061")).isEqualTo("CT");
    assertThat(a.get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("DOE^JOHN");
    assertThat(text(a, "00081190")).isEqualTo(archive.dicomWeb() + "/studies/" + a1.study());
    for (String t : List.of("00080020", "00080030", "00080050", "00080090", "00100030", "00100040", "00200010")) {
      assertThat(a.has(t)).as("default attribute " + t).isTrue();
    }
  }

  @Test
  void personNamesMatchCaseInsensitivelyWithWildcards() throws Exception {
    assertThat(studyUids("/studies?PatientName=doe*&AccessionNumber=ACC-*" + tag))
        .containsExactlyInAnyOrder(a1.study(), b1.study());
    assertThat(studyUids("/studies?PatientName=DOE%5EJ?NE&PatientID=PB" + tag)).containsExactly(b1.study());
    assertThat(studyUids("/studies?PatientName=doe%5Ejohn")).contains(a1.study()).doesNotContain(b1.study());
  }

  @Test
  void fuzzyMatchingIsWordPrefixOnAnyNameComponent() throws Exception {
    assertThat(studyUids("/studies?PatientName=joh&fuzzymatching=true&AccessionNumber=ACC-*" + tag))
        .containsExactlyInAnyOrder(a1.study(), c1.study());
    assertThat(studyUids("/studies?PatientName=joh&AccessionNumber=ACC-*" + tag)).as("not fuzzy").isEmpty();
    // A word ending in * is still a word start (it found nothing); a leading * asks for a wildcard match.
    assertThat(studyUids("/studies?PatientName=joh*&fuzzymatching=true&AccessionNumber=ACC-*" + tag))
        .containsExactlyInAnyOrder(a1.study(), c1.study());
    assertThat(studyUids("/studies?PatientName=*HANNA&fuzzymatching=true&AccessionNumber=ACC-*" + tag))
        .containsExactly(c1.study());
  }

  @Test
  void namesStoredInAnotherCharacterSetMatchAUtf8Query() throws Exception {
    String query = URLEncoder.encode("Buc^Jérôme", StandardCharsets.UTF_8);
    JsonNode found = qido("/studies?PatientName=" + query);
    assertThat(found).isNotEmpty();
    assertThat(found.get(0).get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("Buc^Jérôme");
    assertThat(qido("/studies?PatientName=" + URLEncoder.encode("bUC^jé*", StandardCharsets.UTF_8))).isNotEmpty();
  }

  /** Accents of Latin letters are ignored like case, both ways; a kana's voicing mark is part of the letter. */
  @Test
  void accentsOfLatinLettersAreIgnoredLikeCase() throws Exception {
    String french = studyOf("chrFren.dcm"); // Buc^Jérôme
    for (String name : List.of("buc^jerome", "BUC^JEROME", "Buc^Jer*", "Büc^Jérôme")) {
      assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
          .as(name).contains(french);
    }
    assertThat(studyUids("/studies?PatientName=jerome&fuzzymatching=true")).contains(french);
    assertThat(studyUids("/studies?PatientName=sorensen%5Ease&PatientID=PD" + tag)).containsExactly(d1.study());
    assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode("dôe^jöhn", StandardCharsets.UTF_8)))
        .contains(a1.study());
    assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode("やまた^たろう", StandardCharsets.UTF_8)))
        .as("た is not だ").doesNotContain(studyOf("chrH31.dcm"));
  }

  @Test
  void aQueryOfOneComponentGroupMatchesThatGroupOfANameStoredWithSeveral() throws Exception {
    String japanese = studyOf("chrH31.dcm");
    String korean = studyOf("chrI2.dcm");
    for (String name : List.of("Yamada^Tarou", "yamada*", "山田^太郎", "山田*", "やまだ^たろう", "*たろう",
        "Yamada^Tarou=山田^太郎=やまだ^たろう")) {
      assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
          .as(name).contains(japanese).doesNotContain(korean);
    }
    for (String name : List.of("Hong^Gildong", "洪^吉洞", "홍*")) {
      assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
          .as(name).contains(korean).doesNotContain(japanese);
    }
    for (String notAGroup : List.of("Tarou", "山田", "Yamada^Tarou=山田")) {
      assertThat(studyUids("/studies?PatientName=" + URLEncoder.encode(notAGroup, StandardCharsets.UTF_8)))
          .as(notAGroup).doesNotContain(japanese);
    }
  }

  private static String studyOf(String charsetFile) throws Exception {
    com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
    list.read(Corpus.pydicomData().resolve("charset_files").resolve(charsetFile).toFile());
    return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID);
  }

  @Test
  void dateRangesIncludingOpenRanges() throws Exception {
    String ours = "&AccessionNumber=ACC-*" + tag;
    assertThat(studyUids("/studies?StudyDate=20150101-20191231" + ours)).containsExactlyInAnyOrder(a1.study(),
        b1.study());
    assertThat(studyUids("/studies?StudyDate=20190102-" + ours)).containsExactlyInAnyOrder(b1.study(), c1.study());
    assertThat(studyUids("/studies?StudyDate=-20150614" + ours)).containsExactly(a1.study());
    assertThat(studyUids("/studies?StudyDate=20211231" + ours)).containsExactly(c1.study());
  }

  @Test
  void uidListMatchingWithCommas() throws Exception {
    assertThat(studyUids("/studies?StudyInstanceUID=" + a1.study() + "," + c1.study()))
        .containsExactlyInAnyOrder(a1.study(), c1.study());
  }

  @Test
  void modalitiesInStudyMatchesAnySeries() throws Exception {
    String ours = "&AccessionNumber=ACC-*" + tag;
    assertThat(studyUids("/studies?ModalitiesInStudy=MR" + ours)).containsExactlyInAnyOrder(b1.study(), c1.study());
    JsonNode c = qido("/studies?StudyInstanceUID=" + c1.study()).get(0);
    assertThat(c.get("00080061").get("Value")).hasSize(2);
  }

  // ---- resources, fields, paging ----

  @Test
  void seriesAndInstanceResourcesAtEveryPath() throws Exception {
    assertThat(uids(qido("/studies/" + a1.study() + "/series"), "0020000E"))
        .containsExactlyInAnyOrder(a1.series(), a3.series());
    assertThat(uids(qido("/studies/" + a1.study() + "/instances"), "00080018"))
        .containsExactlyInAnyOrder(a1.sop(), a2.sop(), a3.sop());
    JsonNode series = qido("/studies/" + a1.study() + "/series/" + a1.series() + "/instances");
    assertThat(uids(series, "00080018")).containsExactlyInAnyOrder(a1.sop(), a2.sop());
    assertThat(text(series.get(0), "00081190")).startsWith(archive.dicomWeb() + "/studies/" + a1.study()
        + "/series/" + a1.series() + "/instances/");
    JsonNode allSeries = qido("/series?PatientID=PC" + tag);
    assertThat(uids(allSeries, "0020000E")).containsExactlyInAnyOrder(c1.series(), c2.series());
    assertThat(allSeries.get(0).has("00100010")).as("study attributes for all-series queries").isTrue();
    assertThat(uids(qido("/instances?PatientID=PB" + tag), "00080018")).containsExactly(b1.sop());
    assertThat(uids(qido("/series?Modality=MR&PatientID=PC" + tag), "0020000E")).containsExactly(c2.series());
    assertThat(qido("/studies/" + a1.study() + "/series").get(0).get("00201209").get("Value").get(0).asInt())
        .isPositive();
  }

  /**
   * includefield may name attributes the index does not hold (PS3.18 10.6.3.3: returned "if available"); OHIF
   * lists a study's series with includefield=0008103E,00080021 (SeriesDate), which was answered 400.
   */
  @Test
  void includefieldOfAttributesTheIndexDoesNotHoldReturnsThemFromTheInstances() throws Exception {
    JsonNode series = qido("/studies/" + a1.study() + "/series?SeriesInstanceUID=" + a1.series()
        + "&includefield=0008103E,00080021,InstitutionName,00081150").get(0);
    assertThat(text(series, "00080021")).isEqualTo("19970430");
    assertThat(series.get("00080021").get("vr").asText()).isEqualTo("DA");
    assertThat(text(series, "00080080")).isEqualTo("JFK IMAGING CENTER");
    assertThat(series.has("00081150")).as("absent from the instance: left out").isFalse();

    JsonNode instance = qido("/studies/" + a1.study() + "/series/" + a1.series() + "/instances?SOPInstanceUID="
        + a1.sop() + "&includefield=ImagePositionPatient,PixelSpacing").get(0);
    assertThat(instance.get("00200032").get("Value").toString()).isEqualTo("[-158.135803,-179.035797,-75.699997]");
    assertThat(instance.get("00280030").get("vr").asText()).isEqualTo("DS");

    JsonNode study = qido("/studies?StudyInstanceUID=" + a1.study() + "&includefield=Manufacturer").get(0);
    assertThat(text(study, "00080070")).isEqualTo("GE MEDICAL SYSTEMS");
  }

  /** Without a limit the archive returns 100 and says, in a Warning header, when more match (PS3.18 8.3.4.4). */
  @Test
  void resultsCutByTheArchivesOwnLimitComeWithAWarning() throws Exception {
    Uids first = TestInstances.fresh();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      files.add(TestInstances.ct(work, new Uids(first.study(), first.series(), TestInstances.newUid())));
    }
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new))).statusCode()).isEqualTo(200);
    String instances = archive.dicomWeb() + "/studies/" + first.study() + "/instances";

    HttpResponse<String> cut = Http.get(instances, "application/dicom+json");
    assertThat(JSON.readTree(cut.body())).hasSize(100);
    assertThat(cut.headers().firstValue("Warning"))
        .hasValueSatisfying(w -> assertThat(w).startsWith("299 ").contains("additional results"));
    HttpResponse<String> asked = Http.get(instances + "?limit=100", "application/dicom+json");
    assertThat(JSON.readTree(asked.body())).hasSize(100);
    assertThat(asked.headers().firstValue("Warning")).as("the client set the limit").isEmpty();
    HttpResponse<String> rest = Http.get(instances + "?offset=100", "application/dicom+json");
    assertThat(JSON.readTree(rest.body())).hasSize(1);
    assertThat(rest.headers().firstValue("Warning")).isEmpty();
  }

  @Test
  void includefieldLimitAndOffset() throws Exception {
    JsonNode withField = qido("/studies/" + a1.study() + "/instances?includefield=00100020,StudyDate");
    assertThat(text(withField.get(0), "00100020")).isEqualTo("PA" + tag);
    JsonNode all = qido("/studies/" + a1.study() + "/instances?includefield=all");
    assertThat(all.get(0).has("00080061")).isTrue();
    String q = "/studies?AccessionNumber=ACC-*" + tag;
    List<String> everything = studyUids(q);
    List<String> paged = new ArrayList<>(studyUids(q + "&limit=2"));
    paged.addAll(studyUids(q + "&limit=2&offset=2"));
    assertThat(paged).containsExactlyElementsOf(everything);
    assertThat(everything).hasSize(3);
  }

  @Test
  void xmlOnRequestAnd406ForOtherMediaTypes() throws Exception {
    HttpResponse<String> xml = Http.get(archive.dicomWeb() + "/studies?PatientID=PB" + tag,
        "multipart/related; type=\"application/dicom+xml\"");
    assertThat(xml.statusCode()).isEqualTo(200);
    assertThat(xml.body()).contains("<NativeDicomModel").contains("<FamilyName>Doe</FamilyName>")
        .contains(b1.study());
    assertThat(Http.get(archive.dicomWeb() + "/studies", "image/jpeg").statusCode()).isEqualTo(406);
    assertThat(Http.get(archive.dicomWeb() + "/studies", "application/json").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownStudyInAPathIsAnEmptyResult() throws Exception {
    HttpResponse<String> r = Http.get(archive.dicomWeb() + "/studies/1.2.3.4.5/series", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("[]");
  }

  // ---- errors: 400 naming the parameter ----

  @Test
  void badParametersGet400NamingTheFault() throws Exception {
    assertBad("/studies?Foo=1", "Foo");
    assertBad("/studies?SOPInstanceUID=1.2.3", "SOPInstanceUID");
    assertBad("/studies?StudyDate=2015", "StudyDate");
    assertBad("/studies?StudyDate=20150101-20140101", "StudyDate");
    assertBad("/studies?StudyInstanceUID=1.2,1.02", "StudyInstanceUID");
    assertBad("/studies?PatientID=a&PatientID=b", "PatientID");
    assertBad("/studies?limit=ten", "limit");
    assertBad("/studies?limit=1001", "limit");
    assertBad("/studies?offset=-1", "offset");
    assertBad("/studies?fuzzymatching=maybe", "fuzzymatching");
    assertBad("/studies?includefield=NoSuchThing", "includefield");
    assertBad("/studies?includefield=ReferencedImageSequence", "includefield");
    assertBad("/series?InstitutionName=JFK*", "includefield"); // not matched on, but returnable: the message says so
    assertBad("/studies/1.02.3/series", "StudyInstanceUID");
    assertBad("/studies?NumberOfStudyRelatedInstances=3", "NumberOfStudyRelatedInstances");
  }

  private void assertBad(String path, String named) throws Exception {
    HttpResponse<String> r = Http.get(archive.dicomWeb() + path, null);
    assertThat(r.statusCode()).as(path).isEqualTo(400);
    assertThat(r.body()).as(path).contains(named);
  }

  // ---- helpers ----

  JsonNode qido(String path) throws Exception {
    HttpResponse<String> r = Http.get(archive.dicomWeb() + path, "application/dicom+json");
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  List<String> studyUids(String path) throws Exception {
    return uids(qido(path), "0020000D");
  }

  static List<String> uids(JsonNode results, String tag) {
    List<String> uids = new ArrayList<>();
    for (JsonNode r : results) uids.add(text(r, tag));
    assertThat(new TreeSet<>(uids)).as("no duplicates").hasSize(uids.size());
    return uids;
  }

  static String text(JsonNode dataset, String tag) {
    JsonNode value = dataset.path(tag).path("Value");
    return value.isMissingNode() ? null : value.get(0).asText();
  }
}
