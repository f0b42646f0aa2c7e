package dev.atrium.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the header of a PS3.10 file (meta information and data set up to Pixel Data) with
 * PixelMed, the only place the rest of Atrium meets PixelMed's data model when storing.
 * Text values come out decoded with the data set's Specific Character Set.
 */
public final class DicomHeaderReader {
  private static final byte[] DICM = {'D', 'I', 'C', 'M'};

  private DicomHeaderReader() {}

  /** Something that can open the same bytes more than once (a staged blob). */
  public interface Source {
    InputStream open() throws IOException;
  }

  /**
   * Verifies the framing of the whole file first (truncation, false lengths), then parses the
   * header with PixelMed, which would otherwise log and accept a truncated header.
   */
  public static DicomHeader read(Source source, long size) throws IOException, DicomParseException {
    DicomStructure.Framing framing;
    try (InputStream in = source.open()) {
      framing = DicomStructure.verify(in, size);
    } catch (EOFException e) {
      throw new DicomParseException(e.getMessage() != null ? e.getMessage()
          : "the file ends in the middle of an element (truncated)", e);
    }
    try (InputStream in = source.open()) {
      return read(in, framing);
    }
  }

  /** Where the value of a top-level element lies in a stored PS3.10 file (for /bulkdata). */
  public static DicomStructure.ValueLocation locateValue(Source source, long size, int tag)
      throws IOException, DicomParseException {
    try (InputStream in = source.open()) {
      return DicomStructure.locate(in, size, tag);
    }
  }

  static DicomHeader read(InputStream part10, DicomStructure.Framing framing)
      throws IOException, DicomParseException {
    return toHeader(readAttributes(part10), framing);
  }

  /** The meta information and data set of a PS3.10 file up to (not including) Pixel Data. */
  static AttributeList readAttributes(InputStream part10) throws IOException, DicomParseException {
    BufferedInputStream in = new BufferedInputStream(part10, 64 * 1024);
    requirePreamble(in);
    AttributeList list = new AttributeList();
    try {
      list.read(new DicomInputStream(in), TagFromName.PixelData);
    } catch (EOFException e) {
      throw new DicomParseException("the file ends in the middle of its header (truncated)", e);
    } catch (DicomException | IOException | RuntimeException e) {
      throw new DicomParseException("the DICOM header cannot be parsed: " + e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      // A value length far larger than any real header element (PS3.5 7.1): refuse, don't die.
      throw new DicomParseException("an element before Pixel Data declares an implausibly large length", e);
    }
    return list;
  }

  /** PS3.10 7.1: 128-byte preamble then "DICM"; STOW-RS and our own DIMSE files always have it. */
  private static void requirePreamble(BufferedInputStream in) throws IOException, DicomParseException {
    in.mark(132);
    byte[] head = in.readNBytes(132);
    in.reset();
    if (head.length < 132 || !Arrays.equals(Arrays.copyOfRange(head, 128, 132), DICM)) {
      throw new DicomParseException("not a DICOM PS3.10 file: no 128-byte preamble followed by 'DICM'");
    }
  }

  private static DicomHeader toHeader(AttributeList l, DicomStructure.Framing framing)
      throws DicomParseException, IOException {
    String ts = text(l, TagFromName.TransferSyntaxUID);
    if (ts == null) throw new DicomParseException("the File Meta Information has no Transfer Syntax UID (0002,0010)");
    return new DicomHeader(
        ts,
        text(l, TagFromName.SOPClassUID),
        text(l, TagFromName.SOPInstanceUID),
        text(l, TagFromName.StudyInstanceUID),
        text(l, TagFromName.SeriesInstanceUID),
        text(l, TagFromName.PatientID),
        text(l, TagFromName.IssuerOfPatientID),
        DicomValues.personName(text(l, TagFromName.PatientName)),
        DicomValues.date(text(l, TagFromName.PatientBirthDate)),
        text(l, TagFromName.PatientSex),
        DicomValues.date(text(l, TagFromName.StudyDate)),
        DicomValues.time(text(l, TagFromName.StudyTime)),
        text(l, TagFromName.AccessionNumber),
        text(l, TagFromName.StudyID),
        text(l, TagFromName.StudyDescription),
        DicomValues.personName(text(l, TagFromName.ReferringPhysicianName)),
        text(l, TagFromName.Modality),
        DicomValues.integer(text(l, TagFromName.SeriesNumber)),
        text(l, TagFromName.SeriesDescription),
        text(l, TagFromName.BodyPartExamined),
        DicomValues.date(text(l, TagFromName.PerformedProcedureStepStartDate)),
        DicomValues.time(text(l, TagFromName.PerformedProcedureStepStartTime)),
        DicomValues.integer(text(l, TagFromName.InstanceNumber)),
        DicomValues.integer(text(l, TagFromName.Rows)),
        DicomValues.integer(text(l, TagFromName.Columns)),
        DicomValues.integer(text(l, TagFromName.BitsAllocated)),
        DicomValues.integer(text(l, TagFromName.NumberOfFrames)),
        DicomJsonEncoder.encode(l, pixelDataVr(framing, ts, DicomValues.integer(text(l, TagFromName.BitsAllocated)))));
  }

  /** Pixel Data's VR for the metadata: as encoded, or for implicit VR by PS3.5 8.2 / A.4. */
  private static String pixelDataVr(DicomStructure.Framing framing, String ts, Integer bitsAllocated) {
    if (framing.deflated()) return bitsAllocated != null ? (bitsAllocated > 8 ? "OW" : "OB") : null;
    if (!framing.hasPixelData()) return null;
    if (!framing.pixelDataVr().isEmpty()) return framing.pixelDataVr();
    return bitsAllocated != null && bitsAllocated > 8 ? "OW" : "OB";
  }

  /** All values of a (possibly multi-valued) string attribute, backslash-joined as in DICOM. */
  private static String text(AttributeList list, AttributeTag tag) {
    Attribute attribute = list.get(tag);
    return attribute == null ? null : DicomValues.text(attribute.getDelimitedStringValuesOrNull());
  }
}
