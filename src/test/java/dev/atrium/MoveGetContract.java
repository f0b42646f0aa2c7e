package dev.atrium;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.AtriumConfig;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.HoldingStoreScp;
import dev.atrium.support.Http;
import dev.atrium.support.ImplicitDataSet;
import dev.atrium.support.Part10;
import dev.atrium.support.RawDimseScu;
import dev.atrium.support.StoreScpProcess;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * C-MOVE and C-GET as real SCUs see them (dcmtk movescu to a dcmtk storescp, getscu), against each index database:
 * both information models at every level, instances arriving byte for byte as stored in their stored transfer
 * syntax, or transcoded (as dcmdjpeg, dcmdrle, dcmconv make them) where the peer did not accept that syntax;
 * refusals (unknown destination, an instance no codec can transcode, a bad identifier), C-CANCEL, and a delete
 * while a move runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MoveGetContract extends ArchiveTest {
  static final String PATIENT_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
  static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70";
  static final String RLE = "1.2.840.10008.1.2.5";
  static final String JPEG_LS = "1.2.840.10008.1.2.4.80";
  static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
  static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";

  StoreScpProcess all; // accepts every transfer syntax
  StoreScpProcess uncompressed; // storescp's default: uncompressed only
  StoreScpProcess aborting; // aborts the association on the first C-STORE-RQ, before answering it
  HoldingStoreScp holding;
  int deadPort;

  // MG-P1: study A (A1: 3 CT, A2: 2 MR), explicit VR LE.
  // MG-P2: study C (C1: 2 CT JPEG lossless, C2: 1 MR RLE, C3: 1 12-bit lossy colour JPEG, which no codec here decodes,
  // C4: 1 CT explicit VR LE). MG-P7: study E (2 CT JPEG-LS).
  // MG-P3: study D (1 CT implicit VR LE). MG-P4: study X (X1: 1, X2: 3) for the delete; MG-P5: study Y (6) for cancel.
  // P: 1 CT of a patient also called MG-P1, stored through PARTITION_AE into partition "mgpart".
  List<Uids> a1 = new ArrayList<>(), a2 = new ArrayList<>(), c1 = new ArrayList<>(), c2 = new ArrayList<>(),
      c3 = new ArrayList<>(), c4 = new ArrayList<>(), d = new ArrayList<>(), x1 = new ArrayList<>(),
      x2 = new ArrayList<>(), y = new ArrayList<>(), p = new ArrayList<>(), z = new ArrayList<>(),
      e = new ArrayList<>();
  /** MG-P6: study Z holds z (1 CT) and this JPEG 2000 instance, whose frame the decoder refuses only when decoding. */
  Uids undecodable;
  /** Where the storescp destinations write what they receive; removed after the class. */
  private Path destinations;
  /** storescu's proposal option (or the partition's called AE) → the files to send with it. */
  final Map<String, List<Path>> toStore = new LinkedHashMap<>();
  /** SOP Instance UID → the transfer syntax it must be stored (and retrieved) in. */
  final Map<String, String> syntaxOf = new HashMap<>();

  @Override
  Map<String, String> environment() {
    try {
      destinations = Files.createTempDirectory("atrium-move-destinations");
      all = new StoreScpProcess("MG_ALL", destinations.resolve("all"));
      uncompressed = new StoreScpProcess("MG_UNCOMPRESSED", destinations.resolve("uncompressed"));
      aborting = new StoreScpProcess("MG_ABORT", destinations.resolve("aborting"));
      holding = new HoldingStoreScp("MG_HOLD", StoreScpProcess.freePort());
      deadPort = StoreScpProcess.freePort();
      return Map.of("ATRIUM_MOVE_DESTINATIONS", String.join(",", all.aeTitle + "@127.0.0.1:" + all.port,
          uncompressed.aeTitle + "@127.0.0.1:" + uncompressed.port, holding.aeTitle + "@127.0.0.1:" + holding.port,
          aborting.aeTitle + "@127.0.0.1:" + aborting.port,
          "MG_DEAD@127.0.0.1:" + deadPort));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Instances C-STOREd to this called AE live in their own partition; MOVE and GET through it see only those. */
  static final String PARTITION_AE = "MG_PART";

  @Override
  AtriumConfig configure(AtriumConfig config) {
    return config.withDimse(config.dimse().withAccess(config.dimse().remoteAes(), Map.of(PARTITION_AE, "mgpart")));
  }

  @BeforeAll
  void startDestinationsAndStore() throws Exception {
    all.start("+xa");
    uncompressed.start();
    aborting.start("--abort-after");
    Path ct = Corpus.testFile("CT_small.dcm");
    Path mr = Corpus.testFile("MR_small.dcm");
    Uids a = TestInstances.fresh();
    series(a1, ct, a, 1, 3, "MG-P1", null);
    series(a2, mr, a, 2, 2, "MG-P1", null);
    Uids c = TestInstances.fresh();
    series(c1, ct, c, 1, 2, "MG-P2", "dcmcjpeg");
    series(c2, mr, c, 2, 1, "MG-P2", "dcmcrle");
    series(c3, CodecFixtures.twelveBitColourJpeg(work, TestInstances.fresh()), c, 3, 1, "MG-P2", "jpeg12");
    series(c4, ct, c, 4, 1, "MG-P2", null);
    series(d, ct, TestInstances.fresh(), 1, 1, "MG-P3", "dcmconv");
    series(e, ct, TestInstances.fresh(), 1, 2, "MG-P7", "dcmcjpls");
    Uids xStudy = TestInstances.fresh();
    series(x1, ct, xStudy, 1, 1, "MG-P4", null);
    series(x2, ct, xStudy, 2, 3, "MG-P4", null);
    series(y, ct, TestInstances.fresh(), 1, 6, "MG-P5", null);
    series(p, ct, TestInstances.fresh(), 1, 1, "MG-P1", null); // same Patient ID, other partition
    Uids zStudy = TestInstances.fresh();
    series(z, ct, zStudy, 1, 1, "MG-P6", null);
    undecodable = new Uids(zStudy.study(), TestInstances.newUid(), TestInstances.newUid());
    toStore.computeIfAbsent("-xw", k -> new ArrayList<>()).add(CodecFixtures.withUids(
        Corpus.testFile("JPEG2000-embedded-sequence-delimiter.dcm"), work, undecodable));
    syntaxOf.put(undecodable.sop(), JPEG_2000);
    // storescu proposes the syntax it is told to, so each kind goes in its own run (as CorpusContract does)
    for (Map.Entry<String, List<Path>> group : toStore.entrySet()) {
      boolean partition = group.getKey().equals(PARTITION_AE);
      List<String> command = new ArrayList<>(List.of("storescu", "-aec", partition ? PARTITION_AE : archive.aeTitle()));
      if (!group.getKey().isEmpty() && !partition) command.add(group.getKey());
      command.addAll(List.of("127.0.0.1", String.valueOf(archive.dimsePort())));
      group.getValue().forEach(f -> command.add(f.toString()));
      Dcmtk.Result store = Dcmtk.run(300, command);
      assertThat(store.exitCode()).as(store.output()).isZero();
    }

    Map<String, String> stored = archive.index().dsl().select(INSTANCE.SOP_INSTANCE_UID, INSTANCE.TRANSFER_SYNTAX_UID)
        .from(INSTANCE).fetchMap(INSTANCE.SOP_INSTANCE_UID, INSTANCE.TRANSFER_SYNTAX_UID);
    assertThat(stored).as("stored in the syntaxes the fixtures were made in").containsAllEntriesOf(syntaxOf);
    assertThat(new java.util.TreeSet<>(syntaxOf.values()))
        .containsExactlyInAnyOrder(EXPLICIT_LE, IMPLICIT_LE, JPEG_LOSSLESS, RLE, JPEG_LS, JPEG_EXTENDED, JPEG_2000);
  }

  @AfterAll
  void stopDestinations() throws Exception {
    if (all != null) all.close();
    if (uncompressed != null) uncompressed.close();
    if (aborting != null) aborting.close();
    if (holding != null) holding.close();
    TempFiles.delete(destinations);
  }

  /**
   * {@code count} instances of one series of {@code study} (series number {@code number}), made from
   * {@code source} for the patient, then compressed or converted by the dcmtk tool named (null: as made).
   */
  private void series(List<Uids> into, Path source, Uids study, int number, int count, String patientId,
      String tool) throws Exception {
    String seriesUid = TestInstances.newUid();
    for (int i = 0; i < count; i++) {
      Uids uids = new Uids(study.study(), seriesUid, TestInstances.newUid());
      Map<AttributeTag, String> values = Map.of(TagFromName.PatientID, patientId, TagFromName.PatientName,
          patientId + "^TEST", TagFromName.SeriesNumber, String.valueOf(number), TagFromName.InstanceNumber,
          String.valueOf(i + 1));
      // A compressed source is not decoded on the way (PixelMed's reader would): dcmodify sets its values.
      Path file = "jpeg12".equals(tool) ? CodecFixtures.withValues(source, work, uids, dcmodifyKeys(values))
          : TestInstances.copyWith(source, work, uids, values);
      String syntax = EXPLICIT_LE;
      if (tool != null && !tool.equals("jpeg12")) { // jpeg12: a source compressed already
        Path converted = work.resolve(uids.sop() + ".dcm");
        List<String> convert = switch (tool) {
          case "dcmcjpeg" -> List.of("dcmcjpeg", "+e1", file.toString(), converted.toString());
          case "dcmcrle" -> List.of("dcmcrle", file.toString(), converted.toString());
          case "dcmcjpls" -> List.of("dcmcjpls", file.toString(), converted.toString());
          default -> List.of("dcmconv", "+ti", file.toString(), converted.toString());
        };
        Dcmtk.Result result = Dcmtk.run(60, convert);
        assertThat(result.exitCode()).as(result.output()).isZero();
        file = converted;
      }
      if (tool != null) {
        syntax = switch (tool) {
          case "dcmcjpeg" -> JPEG_LOSSLESS;
          case "dcmcrle" -> RLE;
          case "dcmcjpls" -> JPEG_LS;
          case "jpeg12" -> JPEG_EXTENDED;
          default -> IMPLICIT_LE;
        };
      }
      syntaxOf.put(uids.sop(), syntax);
      into.add(uids);
      String proposal = tool == null ? "" : switch (tool) {
        case "dcmcjpeg" -> "-xs";
        case "dcmcrle" -> "-xr";
        case "dcmcjpls" -> "-xt";
        case "jpeg12" -> "-xx";
        default -> "-xi";
      };
      toStore.computeIfAbsent(into == p ? PARTITION_AE : proposal, k -> new ArrayList<>()).add(file);
    }
  }

  // ---- C-MOVE with movescu, at every level of both models ----

  @Test
  void patientRootMoveAtEveryLevel() throws Exception {
    moveAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=MG-P2"), concat(c1, c2, c3, c4));
    moveAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=MG-P1",
        "-k", "StudyInstanceUID=" + a1.get(0).study()), concat(a1, a2));
    moveAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=SERIES", "-k", "PatientID=MG-P1",
        "-k", "StudyInstanceUID=" + a2.get(0).study(), "-k", "SeriesInstanceUID=" + a2.get(0).series()), a2);
    moveAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientID=MG-P3",
        "-k", "StudyInstanceUID=" + d.get(0).study(), "-k", "SeriesInstanceUID=" + d.get(0).series(),
        "-k", "SOPInstanceUID=" + d.get(0).sop()), d);
  }

  @Test
  void studyRootMoveAtEveryLevelWithUidLists() throws Exception {
    moveAndCompare(List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + a1.get(0).study() + "\\" + d.get(0).study()), concat(a1, a2, d));
    moveAndCompare(List.of("-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + c1.get(0).study(),
        "-k", "SeriesInstanceUID=" + c1.get(0).series() + "\\" + c3.get(0).series()), concat(c1, c3));
    moveAndCompare(List.of("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + a1.get(0).study(),
        "-k", "SeriesInstanceUID=" + a1.get(0).series(), "-k",
        "SOPInstanceUID=" + a1.get(0).sop() + "\\" + a1.get(2).sop()), List.of(a1.get(0), a1.get(2)));
  }

  @Test
  void moveOfNothingSucceedsWithNoSubOperations() throws Exception {
    Dcmtk.Result result = movescu(all.aeTitle, List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=1.2.3.999.1"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(all.received()).isEmpty();
  }

  // ---- C-GET with getscu, at every level of both models ----

  @Test
  void patientRootGetAtEveryLevel() throws Exception {
    getAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=MG-P1"), concat(a1, a2));
    getAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=MG-P1",
        "-k", "StudyInstanceUID=" + a1.get(0).study()), concat(a1, a2));
    getAndCompare(List.of("-P", "+xs", "-k", "QueryRetrieveLevel=SERIES", "-k", "PatientID=MG-P2",
        "-k", "StudyInstanceUID=" + c1.get(0).study(), "-k", "SeriesInstanceUID=" + c1.get(0).series()), c1);
    // (getscu's +xi offers explicit VR little endian whatever its help says: the implicit one arrives transcoded,
    // see getOfAnImplicitAndACompressedInstanceByAnScuOfferingExplicitLittleEndianOnly)
    getAndCompare(List.of("-P", "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientID=MG-P1",
        "-k", "StudyInstanceUID=" + a1.get(0).study(), "-k", "SeriesInstanceUID=" + a1.get(0).series(),
        "-k", "SOPInstanceUID=" + a1.get(1).sop() + "\\" + a1.get(2).sop()), List.of(a1.get(1), a1.get(2)));
  }

  @Test
  void studyRootGetAtEveryLevel() throws Exception {
    getAndCompare(List.of("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + a1.get(0).study()),
        concat(a1, a2));
    getAndCompare(List.of("-S", "+xr", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID="
        + c2.get(0).study(), "-k", "SeriesInstanceUID=" + c2.get(0).series()), c2);
    getAndCompare(List.of("-S", "+xx", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + c3.get(0).study(),
        "-k", "SeriesInstanceUID=" + c3.get(0).series(), "-k", "SOPInstanceUID=" + c3.get(0).sop()), c3);
  }

  @Test
  void getTranscodesWhatTheScuDidNotOfferAndFailsOnlyWhatHasNoCodec() throws Exception {
    // getscu's default offers explicit VR little endian only: C4 arrives as stored, the JPEG lossless C1 and the
    // RLE C2 decompressed; the 12-bit lossy colour JPEG C3 has no codec here and fails. (dcmtk 3.6.7's getscu does not read the
    // final response's identifier, the Failed SOP Instance UID List that PS3.4 C.4.3.1.3 asks for, and so reports
    // a failed release afterwards; the raw SCU of the C-MOVE tests reads that list.)
    Path into = Files.createTempDirectory(work, "get");
    Dcmtk.Result result = Dcmtk.run(120, getscu(archive.aeTitle(), into, List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + c1.get(0).study())));
    assertThat(result.output()).contains("Received C-GET Response (Warning: SubOperationsCompleteOneOrMoreFailures)")
        .contains("Number of Completed Suboperations : 4").contains("Number of Failed Suboperations    : 1");
    assertThat(receivedUids(into)).containsExactlyInAnyOrderElementsOf(sops(concat(c1, c2, c4)));
    assertArrivedDecompressed(into, concat(c1, c2));

    Path jpegLs = Files.createTempDirectory(work, "getjls");
    Dcmtk.Result jls = Dcmtk.run(120, getscu(archive.aeTitle(), jpegLs, List.of("-S", "-k",
        "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + e.get(0).study())));
    assertThat(jls.output()).contains("Number of Completed Suboperations : 2");
    assertArrivedDecompressed(jpegLs, e);
  }

  @Test
  void getOfAnImplicitAndACompressedInstanceByAnScuOfferingExplicitLittleEndianOnly() throws Exception {
    Path into = Files.createTempDirectory(work, "get");
    Dcmtk.Result result = Dcmtk.run(120, getscu(archive.aeTitle(), into, List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + d.get(0).study())));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Received C-GET Response (Success)")
        .contains("Number of Completed Suboperations : 1");
    Part10 implicit = Part10.read(onlyFile(into));
    assertThat(implicit.sopInstanceUid()).isEqualTo(d.get(0).sop());
    assertThat(implicit.transferSyntaxUid()).isEqualTo(EXPLICIT_LE);
    Path stored = storedCopy(d.get(0));
    Path dcmconv = CodecFixtures.convert(stored, work, "dcmconv", "+te");
    assertThat(CodecFixtures.normalizedDump(onlyFile(into))).as("the implicit instance, as dcmconv +te makes it")
        .isEqualTo(CodecFixtures.normalizedDump(dcmconv));
    assertThat(CodecFixtures.pixelData(onlyFile(into))).isEqualTo(CodecFixtures.pixelData(stored));

    Path compressed = Files.createTempDirectory(work, "get");
    getAndCount(compressed, List.of("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID="
        + c2.get(0).study(), "-k", "SeriesInstanceUID=" + c2.get(0).series(), "-k", "SOPInstanceUID="
        + c2.get(0).sop()), 1);
    assertArrivedDecompressed(compressed, c2);
  }

  @Test
  void moveAndGetThroughAPartitionsCalledAeSeeOnlyThatPartition() throws Exception {
    String partitionWado = archive.dicomWeb() + "/partitions/mgpart";
    List<String> patient = List.of("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=MG-P1");
    moveAndCompare(archive.aeTitle(), archive.dicomWeb(), patient, concat(a1, a2));
    moveAndCompare(PARTITION_AE, partitionWado, patient, p);
    List<String> study = List.of("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + p.get(0).study());
    getAndCompare(PARTITION_AE, partitionWado, study, p);
    moveAndCompare(archive.aeTitle(), archive.dicomWeb(), study, List.of());
  }

  // ---- refusals and failures ----

  @Test
  void unknownDestinationIsRefusedWithA801() throws Exception {
    Dcmtk.Result result = movescu("NOBODY", List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + a1.get(0).study()));
    assertThat(result.output()).contains("Received Final Move Response (Refused: MoveDestinationUnknown)");

    RawDimseScu.Response response = rawMove("NOBODY", study(a1.get(0).study()), false).get(0);
    assertThat(response.status()).isEqualTo(0xA801);
    assertThat(response.command().getString(CommandSet.ERROR_COMMENT)).contains("NOBODY");
  }

  @Test
  void destinationAcceptingOnlyUncompressedReceivesCompressedInstancesDecompressed() throws Exception {
    uncompressed.clear();
    Dcmtk.Result result = movescu(uncompressed.aeTitle, List.of("-S", "-k", "QueryRetrieveLevel=SERIES",
        "-k", "StudyInstanceUID=" + c1.get(0).study(), "-k", "SeriesInstanceUID=" + c1.get(0).series() + "\\"
            + c2.get(0).series()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Received Final Move Response (Success)");
    assertThat(receivedUids(uncompressed.directory)).containsExactlyInAnyOrderElementsOf(sops(concat(c1, c2)));
    assertArrivedDecompressed(uncompressed.directory, concat(c1, c2));

    uncompressed.clear();
    Dcmtk.Result jpegLs = movescu(uncompressed.aeTitle, List.of("-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID=" + e.get(0).study()));
    assertThat(jpegLs.output()).contains("Received Final Move Response (Success)");
    assertArrivedDecompressed(uncompressed.directory, e);
  }

  @Test
  void destinationRefusingWhatCannotBeTranscodedGetsTheRestAndTheFailuresAreListed() throws Exception {
    uncompressed.clear();
    byte[] identifier = identifier("SERIES", Map.of(0x0020000D, c1.get(0).study(),
        0x0020000E, c3.get(0).series() + "\\" + c4.get(0).series()));
    List<RawDimseScu.Response> responses = rawMove(uncompressed.aeTitle, identifier, false);
    RawDimseScu.Response last = responses.get(responses.size() - 1);
    assertThat(last.status()).isEqualTo(0xB000);
    assertThat(counts(last)).containsExactly(1, 1, 0);
    assertThat(failedUids(last)).containsExactlyInAnyOrderElementsOf(sops(c3));
    assertThat(receivedUids(uncompressed.directory)).containsExactlyInAnyOrderElementsOf(sops(c4));
    for (RawDimseScu.Response pending : responses.subList(0, responses.size() - 1)) {
      assertThat(pending.status()).isEqualTo(0xFF00);
      CommandSet p = pending.command();
      assertThat(p.getInt(CommandSet.NUMBER_OF_REMAINING_SUBOPERATIONS, -1) + sum(counts(pending))).isEqualTo(2);
    }

    // none can be sent (12-bit lossy colour JPEG has no codec here): refused as a whole, every UID listed
    RawDimseScu.Response none = last(rawMove(uncompressed.aeTitle, identifier("SERIES", Map.of(
        0x0020000D, c3.get(0).study(), 0x0020000E, c3.get(0).series())), false));
    assertThat(none.status()).isEqualTo(0xA702);
    assertThat(counts(none)).containsExactly(0, 1, 0);
    assertThat(failedUids(none)).containsExactlyInAnyOrderElementsOf(sops(c3));

    Dcmtk.Result result = movescu(uncompressed.aeTitle, List.of("-S", "-k", "QueryRetrieveLevel=SERIES",
        "-k", "StudyInstanceUID=" + c3.get(0).study(), "-k", "SeriesInstanceUID=" + c3.get(0).series() + "\\"
            + c4.get(0).series()));
    assertThat(result.output()).contains("Received Final Move Response (Warning");
  }

  @Test
  void anInstanceWhoseFrameFailsToDecodeIsOneFailedSubOperationAndTheOthersArrive() throws Exception {
    // Transcoded whole before its sub-operation starts: the failure is that sub-operation's, not a data set broken
    // off that takes the association, and every later instance, with it.
    uncompressed.clear();
    RawDimseScu.Response moved = last(rawMove(uncompressed.aeTitle, study(z.get(0).study()), false));
    assertThat(moved.status()).isEqualTo(0xB000);
    assertThat(counts(moved)).containsExactly(1, 1, 0);
    assertThat(failedUids(moved)).containsExactly(undecodable.sop());
    assertThat(receivedUids(uncompressed.directory)).containsExactly(z.get(0).sop());

    Path into = Files.createTempDirectory(work, "get");
    Dcmtk.Result got = Dcmtk.run(120, getscu(archive.aeTitle(), into, List.of("-S", "-k",
        "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + z.get(0).study())));
    assertThat(got.output()).as("over the C-GET's own association").contains("Received C-GET Response (Warning")
        .contains("Number of Completed Suboperations : 1").contains("Number of Failed Suboperations    : 1");
    assertThat(Part10.read(onlyFile(into)).sopInstanceUid()).isEqualTo(z.get(0).sop());
    try (Stream<Path> spool = Files.list(archive.config.dataDir().resolve("spool"))) {
      assertThat(spool.toList()).as("nothing spooled is left").isEmpty();
    }
  }

  @Test
  void aDestinationThatAbortsFailsTheRestListedInTheOrderTheyWouldHaveGone() throws Exception {
    RawDimseScu.Response response = last(rawMove(aborting.aeTitle, study(y.get(0).study()), false));
    assertThat(response.status()).isEqualTo(0xA702);
    assertThat(counts(response)).containsExactly(0, 6, 0);
    // The one sent, then the one prepared meanwhile, then the rest (the prepared one used to come first).
    assertThat(failedUids(response)).containsExactlyElementsOf(sops(y));
  }

  @Test
  void destinationThatCannotBeReachedFailsEverySubOperation() throws Exception {
    RawDimseScu.Response response = last(rawMove("MG_DEAD", study(d.get(0).study()), false));
    assertThat(response.status()).isEqualTo(0xA702);
    assertThat(counts(response)).containsExactly(0, 1, 0);
    assertThat(response.command().getString(CommandSet.ERROR_COMMENT)).contains("MG_DEAD");
    assertThat(failedUids(response)).containsExactly(d.get(0).sop());
  }

  @Test
  void identifierThatDoesNotFitTheModelIsRefusedWithTheReason() throws Exception {
    RawDimseScu.Response noUid = last(rawMove(all.aeTitle, identifier("STUDY", Map.of()), false));
    assertThat(noUid.status()).isEqualTo(0xA900);
    assertThat(noUid.command().getString(CommandSet.ERROR_COMMENT)).contains("StudyInstanceUID");

    RawDimseScu.Response wildcard = last(rawMove(all.aeTitle, identifier("SERIES", Map.of(0x0020000D, "1.2.*",
        0x0020000E, c1.get(0).series())), false));
    assertThat(wildcard.status()).isEqualTo(0xA900);
    assertThat(wildcard.command().getString(CommandSet.ERROR_COMMENT)).contains("StudyInstanceUID");

    RawDimseScu.Response badLevel = last(rawMove(all.aeTitle, identifier("PATIENT", Map.of(0x00100020, "MG-P1")),
        false));
    assertThat(badLevel.status()).as("no PATIENT level in Study Root").isEqualTo(0xA900);

    RawDimseScu.Response badUid = last(rawMove(all.aeTitle, identifier("IMAGE", Map.of(0x0020000D,
        a1.get(0).study(), 0x0020000E, a1.get(0).series(), 0x00080018, "1.02.3")), false));
    assertThat(badUid.status()).isEqualTo(0xA900);
    assertThat(badUid.command().getString(CommandSet.ERROR_COMMENT)).contains("SOPInstanceUID");
  }

  // ---- C-CANCEL ----

  @Test
  void cancelBeforeTheFirstSubOperationSendsNothing() throws Exception {
    all.clear();
    RawDimseScu.Response response = last(rawMove(all.aeTitle, study(y.get(0).study()), true));
    assertThat(response.status()).isEqualTo(0xFE00);
    assertThat(response.command().getInt(CommandSet.NUMBER_OF_REMAINING_SUBOPERATIONS, -1)).isEqualTo(6);
    assertThat(counts(response)).containsExactly(0, 0, 0);
    assertThat(all.received()).isEmpty();
  }

  @Test
  void cancelDuringTheMoveStopsIt() throws Exception {
    holding.holdAt(2);
    try (RawDimseScu scu = RawDimseScu.open(archive.dimsePort(), archive.aeTitle(), STUDY_ROOT_MOVE)) {
      scu.send(moveRequest(holding.aeTitle), study(y.get(0).study()), false);
      RawDimseScu.Response first = scu.next();
      assertThat(first.status()).isEqualTo(0xFF00);
      assertThat(counts(first)).containsExactly(1, 0, 0);
      holding.awaitHeld(); // the second sub-operation is at the destination
      scu.cancel(1);
      holding.release();
      RawDimseScu.Response last = last(scu.untilFinal());
      assertThat(last.status()).isEqualTo(0xFE00);
      int remaining = last.command().getInt(CommandSet.NUMBER_OF_REMAINING_SUBOPERATIONS, -1);
      assertThat(remaining).isPositive();
      assertThat(counts(last).get(0)).isGreaterThanOrEqualTo(2);
      assertThat(counts(last).get(0) + remaining).isEqualTo(6);
      assertThat(holding.received()).hasSize(counts(last).get(0));
    }
    awaitAssociations(1);
  }

  // ---- a delete while a move runs ----

  @Test
  void deleteDuringTheMoveCompletesOrFailsEachSubOperationCleanly() throws Exception {
    holding.holdAt(1);
    int blobsBefore = archive.blobFiles().size();
    try (RawDimseScu scu = RawDimseScu.open(archive.dimsePort(), archive.aeTitle(), STUDY_ROOT_MOVE)) {
      scu.send(moveRequest(holding.aeTitle), study(x1.get(0).study()), false);
      holding.awaitHeld(); // X1 is at the destination; X2 is still to come
      assertThat(Http.delete(archive.dicomWeb() + "/studies/" + x2.get(0).study() + "/series/"
          + x2.get(0).series())).isEqualTo(204);
      for (int i = 0; i < 200 && archive.blobFiles().size() != blobsBefore - x2.size(); i++) Thread.sleep(50);
      assertThat(archive.blobFiles()).hasSize(blobsBefore - x2.size());
      holding.release();

      RawDimseScu.Response last = last(scu.untilFinal());
      List<String> failed = failedUids(last);
      assertThat(last.status()).isEqualTo(0xB000);
      assertThat(failed).isNotEmpty();
      assertThat(sops(x2)).containsAll(failed);
      List<String> arrived = holding.received();
      assertThat(arrived).doesNotContainAnyElementsOf(failed);
      assertThat(Stream.concat(arrived.stream(), failed.stream()).toList())
          .containsExactlyInAnyOrderElementsOf(concat(x1, x2).stream().map(Uids::sop).toList());
      assertThat(counts(last)).containsExactly(arrived.size(), failed.size(), 0);
    }
    awaitAssociations(1);
    // and the archive goes on serving moves
    moveAndCompare(List.of("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + x1.get(0).study()), x1);
  }

  // ---- helpers ----

  /** movescu to the all-syntaxes storescp; the instances arrive, each data set exactly as stored. */
  private void moveAndCompare(List<String> options, List<Uids> expected) throws Exception {
    moveAndCompare(archive.aeTitle(), archive.dicomWeb(), options, expected);
  }

  /** Through {@code calledAe}, comparing with what {@code wado} (that partition's DICOMweb root) serves. */
  private void moveAndCompare(String calledAe, String wado, List<String> options, List<Uids> expected)
      throws Exception {
    all.clear();
    Dcmtk.Result result = movescu(calledAe, all.aeTitle, options);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Received Final Move Response (Success)");
    assertArrivedAsStored(all.directory, wado, expected);
  }

  private void getAndCompare(List<String> options, List<Uids> expected) throws Exception {
    getAndCompare(archive.aeTitle(), archive.dicomWeb(), options, expected);
  }

  private void getAndCompare(String calledAe, String wado, List<String> options, List<Uids> expected)
      throws Exception {
    Path into = Files.createTempDirectory(work, "get");
    Dcmtk.Result result = Dcmtk.run(120, getscu(calledAe, into, options));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Received C-GET Response (Success)")
        .contains("Number of Completed Suboperations : " + expected.size())
        .contains("Number of Failed Suboperations    : 0");
    assertArrivedAsStored(into, wado, expected);
  }

  private void getAndCount(Path into, List<String> options, int completed) throws Exception {
    Dcmtk.Result result = Dcmtk.run(120, getscu(archive.aeTitle(), into, options));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("Received C-GET Response (Success)")
        .contains("Number of Completed Suboperations : " + completed);
  }

  private Dcmtk.Result movescu(String destination, List<String> options) throws Exception {
    return movescu(archive.aeTitle(), destination, options);
  }

  private Dcmtk.Result movescu(String calledAe, String destination, List<String> options) throws Exception {
    List<String> command = new ArrayList<>(List.of("movescu", "-v", "-aet", "MG_SCU", "-aec", calledAe,
        "-aem", destination));
    command.addAll(options);
    command.addAll(List.of("127.0.0.1", String.valueOf(archive.dimsePort())));
    return Dcmtk.run(120, command);
  }

  private List<String> getscu(String calledAe, Path into, List<String> options) {
    List<String> command = new ArrayList<>(List.of("getscu", "-v", "-aec", calledAe, "+B", "-od", into.toString()));
    command.addAll(options);
    command.addAll(List.of("127.0.0.1", String.valueOf(archive.dimsePort())));
    return command;
  }

  /** Every expected instance arrived once, in its stored syntax, its data set identical to the stored one. */
  private void assertArrivedAsStored(Path directory, String wado, List<Uids> expected) throws Exception {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(Files::isRegularFile).toList();
    }
    Map<String, Part10> arrived = new LinkedHashMap<>();
    for (Path file : files) {
      Part10 part10 = Part10.read(file);
      assertThat(arrived.put(part10.sopInstanceUid(), part10)).as("received twice: " + file).isNull();
    }
    assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(sops(expected));
    for (Uids uids : expected) {
      Part10 received = arrived.get(uids.sop());
      Part10 stored = Part10.parse(Http.getBytes(wado + "/studies/" + uids.study() + "/series/"
          + uids.series() + "/instances/" + uids.sop(), "application/dicom").body());
      assertThat(received.transferSyntaxUid()).isEqualTo(syntaxOf.get(uids.sop()));
      assertThat(stored.transferSyntaxUid()).isEqualTo(syntaxOf.get(uids.sop()));
      assertThat(Arrays.equals(received.dataSet(), stored.dataSet())).as("data set of " + uids.sop()).isTrue();
    }
  }

  /**
   * Each compressed instance arrived in explicit VR little endian with the Pixel Data (and the attributes that
   * describe it) that dcmtk's dcmdjpeg or dcmdrle makes of the stored instance.
   */
  private void assertArrivedDecompressed(Path directory, List<Uids> expected) throws Exception {
    Map<String, Path> arrived = new HashMap<>();
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path file : listing.filter(Files::isRegularFile).toList()) {
        arrived.put(Part10.read(file).sopInstanceUid(), file);
      }
    }
    for (Uids uids : expected) {
      Path received = arrived.get(uids.sop());
      assertThat(received).as("arrived: " + uids.sop()).isNotNull();
      assertThat(Part10.read(received).transferSyntaxUid()).isEqualTo(EXPLICIT_LE);
      String syntax = syntaxOf.get(uids.sop());
      String tool = syntax.equals(RLE) ? "dcmdrle" : syntax.equals(JPEG_LS) ? "dcmdjpls" : "dcmdjpeg";
      Path theirs = CodecFixtures.convert(storedCopy(uids), work, tool);
      assertThat(CodecFixtures.decodedImage(received)).as(uids.sop() + " against " + tool)
          .isEqualTo(CodecFixtures.decodedImage(theirs));
    }
  }

  private static Map<String, String> dcmodifyKeys(Map<AttributeTag, String> values) {
    Map<String, String> keys = new HashMap<>();
    values.forEach((tag, value) -> keys.put(String.format("(%04x,%04x)", tag.getGroup(), tag.getElement()), value));
    return keys;
  }

  /** The instance as the archive stores it (WADO-RS without a transfer syntax), in a file. */
  private Path storedCopy(Uids uids) throws Exception {
    Path file = Files.createTempFile(work, "stored", ".dcm");
    Files.write(file, Http.getBytes(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
        + "/instances/" + uids.sop(), "application/dicom").body());
    return file;
  }

  private static Path onlyFile(Path directory) throws Exception {
    try (Stream<Path> listing = Files.list(directory)) {
      List<Path> files = listing.filter(Files::isRegularFile).toList();
      assertThat(files).hasSize(1);
      return files.get(0);
    }
  }

  private List<String> receivedUids(Path directory) throws Exception {
    try (Stream<Path> listing = Files.list(directory)) {
      List<String> uids = new ArrayList<>();
      for (Path file : listing.filter(Files::isRegularFile).toList()) uids.add(Part10.read(file).sopInstanceUid());
      return uids;
    }
  }

  private List<RawDimseScu.Response> rawMove(String destination, byte[] identifier, boolean cancel) throws Exception {
    try (RawDimseScu scu = RawDimseScu.open(archive.dimsePort(), archive.aeTitle(), STUDY_ROOT_MOVE)) {
      scu.send(moveRequest(destination), identifier, cancel);
      return scu.untilFinal();
    }
  }

  private static CommandSet moveRequest(String destination) {
    return RawDimseScu.request(CommandSet.C_MOVE_RQ, STUDY_ROOT_MOVE).setAE(CommandSet.MOVE_DESTINATION, destination);
  }

  private static byte[] study(String studyUid) {
    return identifier("STUDY", Map.of(0x0020000D, studyUid));
  }

  /** An implicit VR little endian identifier: QueryRetrieveLevel and the keys, in tag order. */
  private static byte[] identifier(String level, Map<Integer, String> keys) {
    ImplicitDataSet identifier = new ImplicitDataSet().text(0x00080052, level, false);
    keys.forEach((tag, value) -> identifier.text(tag, value, tag != 0x00100020));
    return identifier.encode();
  }

  /** Completed, failed, warning. */
  private static List<Integer> counts(RawDimseScu.Response response) {
    CommandSet c = response.command();
    return List.of(c.getInt(CommandSet.NUMBER_OF_COMPLETED_SUBOPERATIONS, -1),
        c.getInt(CommandSet.NUMBER_OF_FAILED_SUBOPERATIONS, -1),
        c.getInt(CommandSet.NUMBER_OF_WARNING_SUBOPERATIONS, -1));
  }

  private static int sum(List<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  /** The Failed SOP Instance UID List (0008,0058) of an implicit VR little endian response identifier. */
  private static List<String> failedUids(RawDimseScu.Response response) {
    byte[] ds = response.dataSet();
    assertThat(ds).as("an identifier with the failed UIDs").isNotNull();
    assertThat(Arrays.copyOfRange(ds, 0, 4)).containsExactly(0x08, 0x00, 0x58, 0x00);
    int length = (ds[4] & 0xFF) | (ds[5] & 0xFF) << 8 | (ds[6] & 0xFF) << 16 | (ds[7] & 0xFF) << 24;
    String value = new String(ds, 8, length, StandardCharsets.US_ASCII).replace("\0", "");
    return List.of(value.split("\\\\"));
  }

  private static RawDimseScu.Response last(List<RawDimseScu.Response> responses) {
    return responses.get(responses.size() - 1);
  }

  @SafeVarargs
  private static List<Uids> concat(List<Uids>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }

  private static List<String> sops(List<Uids> uids) {
    return uids.stream().map(Uids::sop).collect(Collectors.toList());
  }

  /** The destination ends its side of the association just after our final response: wait for it. */
  private void awaitAssociations(int expected) throws InterruptedException {
    for (int i = 0; i < 200 && holding.associations() < expected; i++) Thread.sleep(25);
    assertThat(holding.associations()).as("one association for the whole move").isEqualTo(expected);
  }
}
