package dev.atrium;

import dev.atrium.support.Bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.RawFindScu;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * C-FIND as a real SCU (dcmtk findscu) sees it, against each index database (subclasses pick
 * one): both information models at every level, the matching kinds, exactly the requested keys,
 * character sets in and out, refusals with a reason, and C-CANCEL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FindContract extends ArchiveTest {
  static final int SPECIFIC_CHARACTER_SET = 0x00080005;
  static final int LEVEL = 0x00080052;
  static final int PATIENT_NAME = 0x00100010;
  static final int PATIENT_ID = 0x00100020;
  static final int STUDY_DATE = 0x00080020;
  static final int STUDY_UID = 0x0020000D;
  static final int SERIES_UID = 0x0020000E;
  static final int SOP_UID = 0x00080018;
  static final int MODALITY = 0x00080060;
  static final int INSTANCE_NUMBER = 0x00200013;
  static final int STUDY_DESCRIPTION = 0x00081030;
  static final int ACCESSION_NUMBER = 0x00080050;
  static final int REQUESTING_PHYSICIAN = 0x00321032; // not in the catalog
  static final int MANY = 30;
  static final String STUDY_ROOT = "1.2.840.10008.5.1.4.1.2.2.1";
  static final String H31_NAME = "Yamada^Tarou=山田^太郎=やまだ^たろう";
  static final String GREEK_NAME = "Διονυσιος";
  static final String FRENCH_NAME = "Buc^Jérôme";

  // DOE^JOHN (FIND-P1): study A (series A1: 2 CT instances, series A2: 1 MR) and study B;
  // DOE^JANE (FIND-P2): study C; ROE^RICHARD (FIND-P3): study D with MANY instances in one series.
  Uids a1, a1b, a2, b, c, d;
  List<String> dSops = new ArrayList<>();

  @BeforeAll
  void storeStudies() throws Exception {

    a1 = TestInstances.fresh();
    a1b = new Uids(a1.study(), a1.series(), TestInstances.newUid());
    a2 = new Uids(a1.study(), TestInstances.newUid(), TestInstances.newUid());
    b = TestInstances.fresh();
    c = TestInstances.fresh();
    d = TestInstances.fresh();
    List<Path> files = new ArrayList<>();
    Map<AttributeTag, String> john = Map.of(TagFromName.PatientName, "DOE^JOHN", TagFromName.PatientID, "FIND-P1");
    files.add(TestInstances.ct(work, a1, with(john, TagFromName.StudyDate, "20150310", TagFromName.Modality, "CT",
        TagFromName.InstanceNumber, "1", TagFromName.StudyDescription, "Head", TagFromName.AccessionNumber, "ACC-A")));
    files.add(TestInstances.ct(work, a1b, with(john, TagFromName.StudyDate, "20150310", TagFromName.Modality, "CT",
        TagFromName.InstanceNumber, "2", TagFromName.StudyDescription, "Head", TagFromName.AccessionNumber, "ACC-A")));
    files.add(TestInstances.ct(work, a2, with(john, TagFromName.StudyDate, "20150310", TagFromName.Modality, "MR",
        TagFromName.InstanceNumber, "1", TagFromName.StudyDescription, "Head", TagFromName.AccessionNumber, "ACC-A")));
    files.add(TestInstances.ct(work, b, with(john, TagFromName.StudyDate, "20161120", TagFromName.Modality, "CT")));
    files.add(TestInstances.ct(work, c, Map.of(TagFromName.PatientName, "DOE^JANE", TagFromName.PatientID, "FIND-P2",
        TagFromName.StudyDate, "20150701", TagFromName.StudyDescription, "Chest", TagFromName.AccessionNumber, "ACC-C")));
    for (int i = 0; i < MANY; i++) {
      Uids uids = i == 0 ? d : new Uids(d.study(), d.series(), TestInstances.newUid());
      dSops.add(uids.sop());
      files.add(TestInstances.ct(work, uids, Map.of(TagFromName.PatientName, "ROE^RICHARD",
          TagFromName.PatientID, "FIND-P3", TagFromName.StudyDate, "20140101", TagFromName.InstanceNumber,
          String.valueOf(i + 1))));
    }
    for (String name : List.of("chrH31.dcm", "chrGreek.dcm", "chrFren.dcm")) {
      files.add(Corpus.pydicomData().resolve("charset_files").resolve(name));
    }
    List<String> command = new ArrayList<>(List.of("storescu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort())));
    files.forEach(f -> command.add(f.toString()));
    Dcmtk.Result store = Dcmtk.run(300, command);
    assertThat(store.exitCode()).as(store.output()).isZero();
    assertThat(archive.instanceRows()).isEqualTo(5 + MANY + 3);
  }

  // ---- Patient Root ----

  @Test
  void patientRootPatientLevelWithWildcards() throws Exception {
    Found doe = find("-P", "-k", "0008,0052=PATIENT", "-k", "PatientName=DOE*", "-k", "PatientID");
    doe.succeeded();
    assertThat(doe.values(PATIENT_ID, PATIENT_NAME)).containsExactlyInAnyOrder("FIND-P1|DOE^JOHN", "FIND-P2|DOE^JANE");
    doe.eachHasExactly(PATIENT_NAME, PATIENT_ID);
    assertThat(doe.values(LEVEL)).containsOnly("PATIENT");

    assertThat(find("-P", "-k", "0008,0052=PATIENT", "-k", "PatientName=DOE^J?HN", "-k", "PatientID")
        .values(PATIENT_ID)).containsExactly("FIND-P1");
    assertThat(find("-P", "-k", "0008,0052=PATIENT", "-k", "PatientName=?OE^*", "-k", "PatientID")
        .values(PATIENT_ID)).containsExactlyInAnyOrder("FIND-P1", "FIND-P2", "FIND-P3");
  }

  @Test
  void patientLevelCountsStudiesSeriesAndInstances() throws Exception {
    // PS3.4 C.6.1.1.2: NumberOfPatientRelatedStudies, -Series, -Instances are patient-level return keys.
    Found counts = find("-P", "-k", "0008,0052=PATIENT", "-k", "PatientID=FIND-P*", "-k",
        "NumberOfPatientRelatedStudies", "-k", "NumberOfPatientRelatedSeries", "-k",
        "NumberOfPatientRelatedInstances");
    counts.succeeded();
    assertThat(counts.values(PATIENT_ID, 0x00201200, 0x00201202, 0x00201204)).containsExactlyInAnyOrder(
        "FIND-P1|2|3|4", "FIND-P2|1|1|1", "FIND-P3|1|1|" + MANY);
  }

  @Test
  void patientRootStudySeriesAndImageLevels() throws Exception {
    Found studies = find("-P", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P1", "-k", "StudyInstanceUID",
        "-k", "StudyDate");
    studies.succeeded();
    assertThat(studies.values(STUDY_UID, STUDY_DATE))
        .containsExactlyInAnyOrder(a1.study() + "|20150310", b.study() + "|20161120");
    studies.eachHasExactly(PATIENT_ID, STUDY_UID, STUDY_DATE);
    assertThat(studies.values(PATIENT_ID)).containsOnly("FIND-P1");

    Found series = find("-P", "-k", "0008,0052=SERIES", "-k", "PatientID=FIND-P1", "-k",
        "StudyInstanceUID=" + a1.study(), "-k", "SeriesInstanceUID", "-k", "Modality");
    series.succeeded();
    assertThat(series.values(SERIES_UID, MODALITY)).containsExactlyInAnyOrder(a1.series() + "|CT", a2.series() + "|MR");
    series.eachHasExactly(PATIENT_ID, STUDY_UID, SERIES_UID, MODALITY);

    Found images = find("-P", "-k", "0008,0052=IMAGE", "-k", "PatientID=FIND-P1", "-k", "StudyInstanceUID=" + a1.study(),
        "-k", "SeriesInstanceUID=" + a1.series(), "-k", "SOPInstanceUID", "-k", "InstanceNumber");
    images.succeeded();
    assertThat(images.values(SOP_UID, INSTANCE_NUMBER)).containsExactlyInAnyOrder(a1.sop() + "|1", a1b.sop() + "|2");
    images.eachHasExactly(PATIENT_ID, STUDY_UID, SERIES_UID, SOP_UID, INSTANCE_NUMBER);
    assertThat(images.values(LEVEL)).containsOnly("IMAGE");
  }

  // ---- Study Root ----

  @Test
  void studyRootStudySeriesAndImageLevels() throws Exception {
    Found studies = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientName=DOE^JOHN", "-k", "StudyInstanceUID",
        "-k", "AccessionNumber");
    studies.succeeded();
    assertThat(studies.values(STUDY_UID, ACCESSION_NUMBER)).containsExactlyInAnyOrder(a1.study() + "|ACC-A",
        b.study() + "|");
    studies.eachHasExactly(PATIENT_NAME, STUDY_UID, ACCESSION_NUMBER);

    Found series = find("-S", "-k", "0008,0052=SERIES", "-k", "StudyInstanceUID=" + a1.study(), "-k",
        "SeriesInstanceUID", "-k", "Modality=MR");
    series.succeeded();
    assertThat(series.values(SERIES_UID, MODALITY)).containsExactly(a2.series() + "|MR");
    series.eachHasExactly(STUDY_UID, SERIES_UID, MODALITY);

    Found images = find("-S", "-k", "0008,0052=IMAGE", "-k", "StudyInstanceUID=" + d.study(),
        "-k", "SeriesInstanceUID=" + d.series(), "-k", "SOPInstanceUID", "-k", "InstanceNumber=7");
    images.succeeded();
    assertThat(images.values(SOP_UID, INSTANCE_NUMBER)).containsExactly(dSops.get(6) + "|7");
    images.eachHasExactly(STUDY_UID, SERIES_UID, SOP_UID, INSTANCE_NUMBER);

    // Image keys the index does not hold come from the instance as stored (they came back empty).
    int sliceThickness = 0x00180050;
    int imagePosition = 0x00200032;
    int institution = 0x00080080;
    Found detail = find("-S", "-k", "0008,0052=IMAGE", "-k", "StudyInstanceUID=" + d.study(), "-k",
        "SeriesInstanceUID=" + d.series(), "-k", "InstanceNumber=7", "-k", "SliceThickness", "-k",
        "ImagePositionPatient", "-k", "InstitutionName");
    detail.succeeded();
    assertThat(detail.values(sliceThickness, imagePosition, institution))
        .containsExactly("5.000000|-158.135803\\-179.035797\\-75.699997|JFK IMAGING CENTER");
    detail.eachHasExactly(STUDY_UID, SERIES_UID, INSTANCE_NUMBER, sliceThickness, imagePosition, institution);
    // At SERIES and STUDY level, from the first instance of each; at PATIENT level, of the study stored last.
    Found seriesDetail = find("-S", "-k", "0008,0052=SERIES", "-k", "StudyInstanceUID=" + d.study(), "-k",
        "SeriesInstanceUID=" + d.series(), "-k", "InstitutionName");
    assertThat(seriesDetail.values(institution)).containsExactly("JFK IMAGING CENTER");
    Found studyDetail = find("-S", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID=" + d.study(), "-k",
        "InstitutionName");
    assertThat(studyDetail.values(institution)).containsExactly("JFK IMAGING CENTER");
    studyDetail.eachHasExactly(STUDY_UID, institution);
    Found patientDetail = find("-P", "-k", "0008,0052=PATIENT", "-k", "PatientID=FIND-P3", "-k", "InstitutionName");
    assertThat(patientDetail.values(institution)).containsExactly("JFK IMAGING CENTER");
    patientDetail.eachHasExactly(PATIENT_ID, institution);
  }

  @Test
  void dateRangesIncludingOpenOnes() throws Exception {
    assertThat(studiesWith("StudyDate=20150101-20151231")).containsExactlyInAnyOrder(a1.study(), c.study());
    assertThat(studiesWith("StudyDate=20160101-")).containsExactly(b.study());
    assertThat(studiesWith("StudyDate=-20141231")).containsExactly(d.study());
    assertThat(studiesWith("StudyDate=20150701")).containsExactly(c.study());
  }

  @Test
  void uidListMatching() throws Exception {
    assertThat(studiesWith("StudyInstanceUID=" + a1.study() + "\\" + c.study()))
        .containsExactlyInAnyOrder(a1.study(), c.study());
    assertThat(studiesWith("StudyInstanceUID=" + b.study())).containsExactly(b.study());
  }

  @Test
  void returnsExactlyTheRequestedKeysAndUnsupportedOnesEmpty() throws Exception {
    Found found = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k", "StudyDescription",
        "-k", "AccessionNumber", "-k", "0032,1032", "-k", "SOPInstanceUID");
    found.succeeded();
    assertThat(found.matches).hasSize(1);
    found.eachHasExactly(PATIENT_ID, STUDY_DESCRIPTION, ACCESSION_NUMBER, REQUESTING_PHYSICIAN, SOP_UID);
    Map<Integer, String> match = found.matches.get(0);
    assertThat(match.get(STUDY_DESCRIPTION)).isEqualTo("Chest");
    assertThat(match.get(ACCESSION_NUMBER)).isEqualTo("ACC-C");
    assertThat(match.get(REQUESTING_PHYSICIAN)).isEmpty();
    assertThat(match.get(SOP_UID)).isEmpty(); // an instance key at study level: not a study attribute

    // Matching on a key we cannot match: answered, with the warning status of PS3.4 C.4.1.1.4.
    Found warned = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k", "0032,1032=SMITH");
    assertThat(warned.matches).hasSize(1);
    assertThat(warned.statuses).containsExactly(0xFF01, 0x0000);
    assertThat(found.statuses).containsExactly(0xFF00, 0x0000);

    // A sequence key asking to match is one too (it was dropped silently, and the study answered as a plain match);
    // one asking for none is returned empty, like any key we hold no value for.
    Found sequence = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k",
        "ProcedureCodeSequence[0].CodeValue=XYZ");
    assertThat(sequence.matches).hasSize(1);
    assertThat(sequence.statuses).containsExactly(0xFF01, 0x0000);
    Found universal = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k", "ReferencedStudySequence");
    assertThat(universal.statuses).containsExactly(0xFF00, 0x0000);
    assertThat(Bytes.indexOf(universal.raw.get(0), new byte[] {0x08, 0x00, 0x10, 0x11, 'S', 'Q'}))
        .as("ReferencedStudySequence in the match").isPositive();
  }

  @Test
  void privateKeysAreAnsweredNotRefused() throws Exception {
    // Viewers put private creators and elements in identifiers; the archive matches none of them and returns
    // them empty (a private key of unknown VR used to end the query with C000).
    for (String syntax : List.of("-xi", "-xe")) {
      Found found = find("-S", syntax, "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k", "(0009,0010)=ACME",
          "-k", "(0009,1001)", "-k", "(0011,0010)");
      found.succeeded();
      assertThat(found.matches).as(syntax).hasSize(1);
      assertThat(found.values(PATIENT_ID)).as(syntax).containsExactly("FIND-P2");
    }
  }

  @Test
  void implicitVrLittleEndianIsAcceptedToo() throws Exception {
    Found found = find("-S", "-xi", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2", "-k", "PatientName");
    found.succeeded();
    assertThat(found.output).contains("Little Endian Implicit");
    assertThat(found.values(PATIENT_NAME)).containsExactly("DOE^JANE");
  }

  // ---- character sets ----

  @Test
  void nonAsciiNamesAreAnsweredInUtf8() throws Exception {
    for (String[] patient : new String[][] {{"H31EXAMPLE", H31_NAME}, {"SCSGREEK", GREEK_NAME},
        {"SCSFREN", FRENCH_NAME}}) {
      Found found = find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=" + patient[0], "-k", "PatientName");
      found.succeeded();
      assertThat(found.matches).as(patient[0]).hasSize(1);
      assertThat(found.matches.get(0).get(SPECIFIC_CHARACTER_SET)).isEqualTo("ISO_IR 192");
      assertThat(found.matches.get(0).get(PATIENT_NAME)).isEqualTo(patient[1]);
      assertThat(Bytes.indexOf(found.raw.get(0), patient[1].getBytes(StandardCharsets.UTF_8))).as("UTF-8 bytes of the name")
          .isPositive();
    }
  }

  @Test
  void queriesInOtherCharacterSetsAreDecodedBeforeMatching() throws Exception {
    Found french = find(queryFile("ISO_IR 100", "Buc^Jér*", StandardCharsets.ISO_8859_1));
    french.succeeded();
    assertThat(french.values(PATIENT_ID, PATIENT_NAME)).containsExactly("SCSFREN|" + FRENCH_NAME);

    Found greek = find(queryFile("ISO_IR 126", "Διον*", Charset.forName("ISO-8859-7")));
    greek.succeeded();
    assertThat(greek.values(PATIENT_ID, PATIENT_NAME)).containsExactly("SCSGREEK|" + GREEK_NAME);
  }

  // ---- refusals ----

  @Test
  void identifiersThatDoNotFitTheModelAreRefusedWithAReason() throws Exception {
    assertRefused(find("-S", "-k", "0008,0052=SERIES", "-k", "SeriesInstanceUID"), "StudyInstanceUID");
    assertRefused(find("-S", "-k", "0008,0052=SERIES", "-k", "StudyInstanceUID=" + a1.study() + "\\" + c.study()),
        "StudyInstanceUID");
    assertRefused(find("-S", "-k", "0008,0052=IMAGE", "-k", "StudyInstanceUID=" + a1.study(), "-k",
        "SeriesInstanceUID=*"), "SeriesInstanceUID");
    assertRefused(find("-S", "-k", "0008,0052=PATIENT", "-k", "PatientID"), "PATIENT");
    assertRefused(find("-P", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID"), "PatientID");
    assertRefused(find("-S", "-k", "PatientID"), "QueryRetrieveLevel");
    assertRefused(find("-S", "-k", "0008,0052=WARD", "-k", "PatientID"), "WARD");
    // the engine's refusals: malformed values, and a match key below the level
    assertRefused(find("-S", "-k", "0008,0052=STUDY", "-k", "StudyDate=2015-03-10"), "StudyDate");
    assertRefused(find("-S", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID=1.2.3\\1.02.3"), "StudyInstanceUID");
    assertRefused(find("-S", "-k", "0008,0052=STUDY", "-k", "Modality=CT"), "Modality");
    // text in a character set we cannot decode could match nothing: unable to process (C000), not an empty success
    Found undecodable = find("-S", "-k", "0008,0052=STUDY", "-k", "SpecificCharacterSet=ISO_IR 999", "-k",
        "PatientName=Buc*");
    assertThat(undecodable.statuses).as(undecodable.output).containsExactly(0xC000);
    assertThat(undecodable.errorComment).as(undecodable.output).contains("'ISO_IR 999' is not supported");
    // and the next query is answered as usual
    find("-S", "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-P2").succeeded();
  }

  // ---- C-CANCEL ----

  @Test
  void cancelEndsTheMatchesWithStatusCancel() throws Exception {
    byte[] identifier = implicitVr(Map.of(LEVEL, "IMAGE", STUDY_UID, d.study(), SERIES_UID, d.series(), SOP_UID, ""));
    List<Integer> all = RawFindScu.find(archive.dimsePort(), archive.aeTitle(), STUDY_ROOT, identifier, false);
    assertThat(all).hasSize(MANY + 1).endsWith(0x0000);
    assertThat(all.subList(0, MANY)).containsOnly(0xFF00);

    // C-CANCEL-RQ right behind the request: the SCP sees it before the first match (PS3.4 C.4.1.2.3).
    List<Integer> cancelled = RawFindScu.find(archive.dimsePort(), archive.aeTitle(), STUDY_ROOT, identifier, true);
    assertThat(cancelled).containsExactly(0xFE00);

    // findscu cancelling after the first response: the SCP may already have sent every match,
    // so only the protocol is checked here (responses, then one final status, exit 0).
    Found late = find("-S", "--cancel", "1", "-k", "0008,0052=IMAGE", "-k", "StudyInstanceUID=" + d.study(), "-k",
        "SeriesInstanceUID=" + d.series(), "-k", "SOPInstanceUID");
    assertThat(late.output).contains("Sending Cancel Request");
    assertThat(late.finalStatus()).as(late.output).isIn(0xFE00, 0x0000);
    assertThat(late.matches).isNotEmpty().hasSizeLessThanOrEqualTo(MANY);
  }

  // ---- helpers ----

  /** What findscu received: each pending identifier (decoded and raw), the final status and comment. */
  record Found(String output, List<Map<Integer, String>> matches, List<byte[]> raw, List<Integer> statuses,
      String errorComment) {
    int finalStatus() {
      return statuses.isEmpty() ? -1 : statuses.get(statuses.size() - 1);
    }

    void succeeded() {
      assertThat(finalStatus()).as(output).isEqualTo(0x0000);
    }

    /** One string per match: the values of {@code tags} joined by "|". */
    List<String> values(int... tags) {
      return matches.stream().map(m -> java.util.Arrays.stream(tags).mapToObj(t -> m.getOrDefault(t, "<absent>"))
          .collect(Collectors.joining("|"))).toList();
    }

    /** Every response holds exactly these keys plus Specific Character Set and Query/Retrieve Level. */
    void eachHasExactly(int... tags) {
      Set<Integer> expected = new java.util.TreeSet<>(List.of(SPECIFIC_CHARACTER_SET, LEVEL));
      for (int tag : tags) expected.add(tag);
      assertThat(matches).isNotEmpty();
      for (Map<Integer, String> match : matches) assertThat(match.keySet()).as(output).isEqualTo(expected);
    }
  }

  List<String> studiesWith(String key) throws Exception {
    Found found = key.startsWith("StudyInstanceUID=") ? find("-S", "-k", "0008,0052=STUDY", "-k", key)
        : find("-S", "-k", "0008,0052=STUDY", "-k", key, "-k", "StudyInstanceUID");
    found.succeeded();
    return found.values(STUDY_UID);
  }

  void assertRefused(Found found, String commentContains) {
    assertThat(found.matches).as(found.output).isEmpty();
    assertThat(found.statuses).as(found.output).containsExactly(0xA900);
    assertThat(found.errorComment).as(found.output).isNotNull().contains(commentContains);
    assertThat(found.errorComment.length()).isLessThanOrEqualTo(64);
  }

  private static final Pattern STATUS = Pattern.compile("DIMSE Status +: 0x([0-9a-f]{4})");
  private static final Pattern COMMENT = Pattern.compile("\\(0000,0902\\) LO \\[([^\\]]*)\\]");

  Found find(String... arguments) throws Exception {
    return find(List.of(arguments), List.of());
  }

  /** findscu with these options and query files (after the peer's address, as findscu wants them). */
  Found find(List<String> arguments, List<String> queryFiles) throws Exception {
    Path out = Files.createTempDirectory(work, "rsp");
    List<String> command = new ArrayList<>(List.of("findscu", "-d", "-X", "-od", out.toString(), "-aec",
        archive.aeTitle()));
    command.addAll(arguments);
    command.add("127.0.0.1");
    command.add(String.valueOf(archive.dimsePort()));
    command.addAll(queryFiles);
    Dcmtk.Result result = Dcmtk.run(60, command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<Map<Integer, String>> matches = new ArrayList<>();
    List<byte[]> raw = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.sorted().toList()) {
        raw.add(Files.readAllBytes(file));
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        Map<Integer, String> values = new TreeMap<>();
        for (Object value : list.values()) {
          Attribute attribute = (Attribute) value;
          AttributeTag tag = attribute.getTag();
          if (tag.getGroup() == 0x0002) continue;
          values.put(tag.getGroup() << 16 | tag.getElement(), attribute.getDelimitedStringValuesOrEmptyString());
        }
        matches.add(values);
      }
    }
    List<Integer> statuses = new ArrayList<>();
    Matcher status = STATUS.matcher(result.output());
    while (status.find()) statuses.add(Integer.parseInt(status.group(1), 16));
    Matcher comment = COMMENT.matcher(result.output());
    return new Found(result.output(), matches, raw, statuses, comment.find() ? comment.group(1).strip() : null);
  }

  /** findscu -S with a query file: a STUDY-level identifier whose PatientName is in {@code charset}. */
  Found find(Path queryFile) throws Exception {
    return find(List.of("-S"), List.of(queryFile.toString()));
  }

  Path queryFile(String specificCharacterSet, String patientName, Charset encoding) throws Exception {
    SpecificCharacterSet charset = new SpecificCharacterSet(new String[] {specificCharacterSet});
    AttributeList list = new AttributeList();
    CodeStringAttribute scs = new CodeStringAttribute(TagFromName.SpecificCharacterSet);
    scs.addValue(specificCharacterSet);
    list.put(scs);
    CodeStringAttribute level = new CodeStringAttribute(TagFromName.QueryRetrieveLevel);
    level.addValue("STUDY");
    list.put(level);
    PersonNameAttribute name = new PersonNameAttribute(TagFromName.PatientName, charset);
    name.addValue(patientName);
    list.put(name);
    list.put(new LongStringAttribute(TagFromName.PatientID, charset));
    Path file = Files.createTempFile(work, "query", ".dcm");
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      list.write(out, TransferSyntax.ExplicitVRLittleEndian, false, true);
    }
    // the query really is in that character set, not UTF-8
    assertThat(Bytes.indexOf(Files.readAllBytes(file), patientName.replace("*", "").getBytes(encoding))).isPositive();
    return file;
  }

  static Map<AttributeTag, String> with(Map<AttributeTag, String> base, Object... tagsAndValues) {
    Map<AttributeTag, String> values = new LinkedHashMap<>(base);
    for (int i = 0; i < tagsAndValues.length; i += 2) values.put((AttributeTag) tagsAndValues[i], (String) tagsAndValues[i + 1]);
    return values;
  }

  /** A hand-made implicit VR little endian identifier (string values, padded per VR). */
  static byte[] implicitVr(Map<Integer, String> values) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Map.Entry<Integer, String> e : new TreeMap<>(values).entrySet()) {
      byte[] v = e.getValue().getBytes(StandardCharsets.US_ASCII);
      if (v.length % 2 != 0) v = java.util.Arrays.copyOf(v, v.length + 1); // UI pads with NUL
      if (e.getKey() == LEVEL && v.length > e.getValue().length()) v[v.length - 1] = ' ';
      int tag = e.getKey();
      out.writeBytes(new byte[] {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8),
          (byte) v.length, (byte) (v.length >>> 8), 0, 0});
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

}
