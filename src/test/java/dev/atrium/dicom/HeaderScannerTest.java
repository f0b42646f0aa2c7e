package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store path reads headers with {@link HeaderScanner} and falls back to PixelMed for what the
 * scanner refuses; the metadata and index values must not depend on which one read a file. Every
 * PS3.10 file of pydicom's corpus (test_files and charset_files: explicit/implicit/big endian,
 * deflate, every compression, private tags, sequences, ten character sets) goes through both.
 */
class HeaderScannerTest {
  @Test
  void theScannerAgreesWithPixelMedOnTheWholeCorpus() throws Exception {
    List<Path> files = corpus();
    List<String> disagreements = new ArrayList<>();
    int scanned = 0;
    int refused = 0;
    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
    for (Path file : files) {
      DicomStructure.Framing framing;
      DicomHeader reference;
      try (InputStream in = Files.newInputStream(file)) {
        framing = DicomStructure.verify(in, Files.size(file));
        try (InputStream again = Files.newInputStream(file)) {
          reference = DicomHeaderReader.read(again, framing);
        }
      } catch (DicomParseException | IOException e) {
        continue; // not a readable PS3.10 file (the corpus holds broken ones on purpose)
      }
      DicomHeader candidate;
      try (InputStream in = Files.newInputStream(file)) {
        candidate = DicomHeaderReader.scanned(in, framing);
      } catch (HeaderScanner.NotScannable e) {
        refused++;
        reasons.merge(e.getMessage(), 1, Integer::sum);
        continue;
      }
      scanned++;
      String a = new String(reference.metadataJson(), StandardCharsets.UTF_8);
      String b = new String(candidate.metadataJson(), StandardCharsets.UTF_8);
      if (!a.equals(b)) disagreements.add(file.getFileName() + ": " + firstDifference(a, b));
      DicomHeader left = withoutJson(reference);
      DicomHeader right = withoutJson(candidate);
      if (!left.equals(right)) disagreements.add(file.getFileName() + ": header " + left + " vs " + right);
    }
    assertThat(disagreements).as("files whose metadata or index values differ").isEmpty();
    assertThat(scanned).as("files the scanner read (%d refused: %s)", refused, reasons).isGreaterThan(files.size() / 2);
  }

  private static DicomHeader withoutJson(DicomHeader h) {
    return new DicomHeader(h.transferSyntaxUid(), h.sopClassUid(), h.sopInstanceUid(), h.studyInstanceUid(),
        h.seriesInstanceUid(), h.patientId(), h.issuerOfPatientId(), h.patientName(), h.patientBirthDate(),
        h.patientSex(), h.studyDate(), h.studyTime(), h.accessionNumber(), h.studyId(), h.studyDescription(),
        h.referringPhysicianName(), h.modality(), h.seriesNumber(), h.seriesDescription(), h.bodyPartExamined(),
        h.performedProcedureStepStartDate(), h.performedProcedureStepStartTime(), h.instanceNumber(), h.rows(),
        h.columns(), h.bitsAllocated(), h.numberOfFrames(), null, h.invalidValues());
  }

  private static String firstDifference(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
    int from = Math.max(0, i - 40);
    return "\n    PixelMed …" + a.substring(from, Math.min(a.length(), i + 80)) + "…\n    scanner  …"
        + b.substring(from, Math.min(b.length(), i + 80)) + "…";
  }

  private static List<Path> corpus() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("test_files", "charset_files")) {
      Corpus.files(dir).stream().filter(HeaderScannerTest::isPart10).forEach(files::add);
    }
    return files;
  }

  private static boolean isPart10(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
    } catch (IOException e) {
      return false;
    }
  }
}
