package dev.atrium;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * pydicom's real-world corpus (test_files and charset_files) sent by dcmtk's storescu with each
 * transfer syntax a modality may propose: every file storescu can send is accepted, stored in
 * the syntax it arrived in, and retrievable; names in any character set are indexed as Unicode,
 * exactly as pydicom (an independent decoder) reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CorpusContract {
  /** storescu options: default (uncompressed), JPEG lossless/baseline, J2K lossless/lossy, RLE, JPEG-LS. */
  private static final List<String> PROPOSALS = List.of("", "-xs", "-xy", "-xv", "-xw", "-xr", "-xt");
  private static final Pattern SENT = Pattern.compile(
      "Sending file: (\\S+)\\R(?:(?!I: Sending file).*\\R)*?I: Received Store Response \\(([^)]*)\\)");

  Path corpus;
  Path dataDir;
  TestArchive archive;
  /** File → the transfer syntax it was sent in, for each file storescu acknowledged. */
  final Map<Path, String> acknowledged = new LinkedHashMap<>();
  final List<String> refused = new ArrayList<>();
  /** Names of the files stored with a warning. */
  final Set<String> warned = new TreeSet<>();

  abstract TestDatabase database();

  @BeforeAll
  void storeTheCorpus() throws Exception {
    dataDir = Files.createTempDirectory("atrium-corpus-data");
    corpus = Files.createTempDirectory("atrium-corpus");
    for (String set : List.of("test_files", "charset_files")) {
      Path target = corpus.resolve(set);
      Files.createDirectories(target);
      for (Path file : Corpus.files(set)) {
        Path copy = target.resolve(Corpus.pydicomData().resolve(set).relativize(file).toString().replace('/', '_'));
        Files.copy(file, copy);
      }
    }
    archive = new TestArchive(database(), dataDir);
    for (String proposal : PROPOSALS) {
      List<String> command = new ArrayList<>(List.of("storescu", "-v", "+sd", "+r", "-nh", "-aec", archive.aeTitle()));
      if (!proposal.isEmpty()) command.add(proposal);
      command.addAll(List.of("127.0.0.1", String.valueOf(archive.dimsePort()), corpus.toString()));
      Dcmtk.Result result = Dcmtk.run(600, command);
      Matcher m = SENT.matcher(result.output());
      while (m.find()) {
        boolean warning = m.group(2).startsWith("Warning");
        if (warning) warned.add(Path.of(m.group(1)).getFileName().toString());
        if (m.group(2).equals("Success") || warning) acknowledged.putIfAbsent(Path.of(m.group(1)), proposal);
        else refused.add(m.group(1) + ": " + m.group(2));
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(corpus);
  }

  @Test
  void everyFileStorescuCanSendIsAccepted() {
    assertThat(refused).as("files the archive answered with a failure status").isEmpty();
    // 183 files, of which storescu itself cannot read or negotiate some (broken on purpose,
    // non-image, or in syntaxes none of these options propose).
    assertThat(acknowledged).hasSizeGreaterThan(140);
    // Stored with a warning (B007): only the file made with a Number of Frames that is no integer ("1A").
    assertThat(warned).as("files stored with a warning").containsExactly("badVR.dcm");
  }

  @Test
  void acknowledgedInstancesAreIndexedOnceAndRetrievableInTheirOwnSyntax() throws Exception {
    Set<String> sopUids = new TreeSet<>();
    for (Path file : acknowledged.keySet()) {
      Map<String, String> uids = uidsOf(file);
      sopUids.add(uids.get("0008,0018"));
      HttpResponse<byte[]> response = Http.getBytes(archive.dicomWeb() + "/studies/" + uids.get("0020,000d")
          + "/series/" + uids.get("0020,000e") + "/instances/" + uids.get("0008,0018"), "application/dicom");
      assertThat(response.statusCode()).as(file.toString()).isEqualTo(200);
      HttpResponse<String> metadata = Http.get(archive.dicomWeb() + "/studies/" + uids.get("0020,000d")
          + "/series/" + uids.get("0020,000e") + "/instances/" + uids.get("0008,0018") + "/metadata", null);
      assertThat(metadata.statusCode()).as("metadata of " + file).isEqualTo(200);
      assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(metadata.body()).get(0)
          .get("00080018").get("Value").get(0).asText()).as("metadata of " + file).isEqualTo(uids.get("0008,0018"));
      String original = transferSyntaxOf(file);
      if (!acknowledged.get(file).isEmpty() && original != null && !isUncompressed(original)) {
        // A compressed file sent with its own syntax proposed is stored as it came: no transcoding.
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(file.toString())
            .endsWith("transfer-syntax=" + original);
      }
    }
    assertThat(archive.instanceRows()).isEqualTo(sopUids.size());
    assertThat(archive.index().dsl().selectDistinct(INSTANCE.TRANSFER_SYNTAX_UID).from(INSTANCE).fetch())
        .as("compressed syntaxes among the stored instances").hasSizeGreaterThan(5);
  }

  @Test
  void namesInEveryCharacterSetAreIndexedAsUnicode() throws Exception {
    int checked = 0;
    for (Path file : acknowledged.keySet()) {
      if (!file.getParent().getFileName().toString().equals("charset_files")) continue;
      String expected = pydicomPatientName(file);
      if (expected.isEmpty()) continue; // e.g. chrSQEncoding: its names are inside a sequence
      String patientId = uidsOf(file).getOrDefault("0010,0020", "");
      List<String> indexed = archive.index().dsl().select(PATIENT.PATIENT_NAME).from(PATIENT)
          .where(PATIENT.PATIENT_ID.eq(patientId)).fetch(PATIENT.PATIENT_NAME);
      assertThat(indexed).as(file.getFileName() + " (PatientID '" + patientId + "')").contains(expected);
      checked++;
    }
    assertThat(checked).as("charset files checked").isGreaterThanOrEqualTo(11);
  }

  private static boolean isUncompressed(String ts) {
    return ts.equals("1.2.840.10008.1.2") || ts.equals("1.2.840.10008.1.2.1") || ts.equals("1.2.840.10008.1.2.2");
  }

  /** The UIDs and Patient ID as dcmdump (an independent parser) reads them. */
  private static Map<String, String> uidsOf(Path file) throws Exception {
    Dcmtk.Result dump = Dcmtk.run(30, "dcmdump", "-q", "+P", "0020,000d", "+P", "0020,000e", "+P", "0008,0018",
        "+P", "0010,0020", file.toString());
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\\((\\p{XDigit}{4},\\p{XDigit}{4})\\) \\w\\w \\[([^\\]]*)\\]").matcher(dump.output());
    while (m.find()) values.putIfAbsent(m.group(1).toLowerCase(), m.group(2).trim());
    return values;
  }

  private static String transferSyntaxOf(Path file) throws Exception {
    Dcmtk.Result dump = Dcmtk.run(30, "dcmdump", "-q", "-M", "+P", "0002,0010", file.toString());
    Matcher m = Pattern.compile("\\[([0-9.]+)\\]").matcher(dump.output());
    return m.find() ? m.group(1) : null;
  }

  private static String pydicomPatientName(Path file) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c",
        "import sys, pydicom; ds = pydicom.dcmread(sys.argv[1]); sys.stdout.buffer.write(str(ds.PatientName).encode())",
        file.toString()).redirectErrorStream(false).start();
    String name = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return name.strip();
  }
}
