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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the header of a PS3.10 file (meta information and data set up to Pixel Data): the values
 * the index needs and the metadata document. {@link HeaderScanner} reads nearly every file;
 * PixelMed's parser reads the few it refuses (and is the reference it is tested against). Text
 * values come out decoded with the data set's Specific Character Set either way.
 */
public final class DicomHeaderReader {
  private static final Logger log = LoggerFactory.getLogger(DicomHeaderReader.class);
  private static final byte[] DICM = {'D', 'I', 'C', 'M'};

  /** The most of a data set's header (the bytes before Pixel Data) that PixelMed, which holds it whole, reads. */
  static final long PIXELMED_MAX_HEADER_BYTES = 32L << 20;

  private DicomHeaderReader() {}

  /** Something that can open the same bytes more than once (a staged blob). */
  public interface Source {
    InputStream open() throws IOException;
  }

  /**
   * Verifies the framing of the whole file first (truncation, false lengths: PixelMed would log and
   * accept a truncated header), then reads the header.
   */
  public static DicomHeader read(Source source, long size) throws IOException, DicomParseException {
    DicomStructure.Framing framing;
    try (InputStream in = source.open()) {
      framing = DicomStructure.verify(in, size);
    } catch (EOFException e) {
      throw new DicomParseException(e.getMessage() != null ? e.getMessage()
          : "the file ends in the middle of an element (truncated)", e);
    }
    String why;
    try (InputStream in = source.open()) {
      return scanned(in, framing);
    } catch (MetadataLimit.Exceeded e) {
      throw new DicomParseException(e.getMessage(), e);
    } catch (HeaderScanner.NotScannable e) {
      why = e.getMessage();
      log.debug("header read by PixelMed: {}", why);
    } catch (IOException | RuntimeException e) {
      why = e.toString();
      log.debug("header read by PixelMed after the scanner failed", e); // PixelMed gives the error its words
    }
    // PixelMed holds every value before Pixel Data in memory (and survives running out of it half-read).
    if (framing.headerBytes() > PIXELMED_MAX_HEADER_BYTES) {
      throw new DicomParseException("the data set cannot be read (" + why + ") and its elements before Pixel Data "
          + "take " + (framing.headerBytes() >> 20) + " MB, more than the " + (PIXELMED_MAX_HEADER_BYTES >> 20)
          + " MB the archive reads of such a data set");
    }
    try (InputStream in = source.open()) {
      return read(in, framing);
    }
  }

  /** The bytes of a value {@link #locateValue} found, from its first (inflated, when its data set is deflated). */
  public static InputStream openValue(Source source, DicomStructure.ValueLocation value) throws IOException {
    return Part10File.openAt(source, value.dataSetOffset(), value.deflated(), value.offset());
  }

  /** Where the value of a top-level element lies in a stored PS3.10 file (for /bulkdata). */
  public static DicomStructure.ValueLocation locateValue(Source source, long size, int tag)
      throws IOException, DicomParseException {
    try (InputStream in = source.open()) {
      return DicomStructure.locate(in, size, tag);
    }
  }

  /** The header by {@link HeaderScanner}, without PixelMed. */
  static DicomHeader scanned(InputStream part10, DicomStructure.Framing framing)
      throws IOException, DicomParseException, HeaderScanner.NotScannable {
    HeaderScanner.Scan scan = HeaderScanner.scan(part10, INDEXED, framing);
    return toHeader(tag -> DicomValues.text(scan.texts().get(tag)), scan.json());
  }

  /** The header by PixelMed's parser: files the scanner refuses, and the reference it is tested against. */
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

  /** The top-level attributes the index reads. */
  private static final int TRANSFER_SYNTAX = 0x00020010;
  private static final int[] INDEXED_TAGS = {TRANSFER_SYNTAX, 0x00080016, 0x00080018, 0x0020000D, 0x0020000E,
      0x00100020, 0x00100021, 0x00100010, 0x00100030, 0x00100040, 0x00080020, 0x00080030, 0x00080050, 0x00200010,
      0x00081030, 0x00080090, 0x00080060, 0x00200011, 0x0008103E, 0x00180015, 0x00400244, 0x00400245, 0x00200013,
      0x00280010, 0x00280011, 0x00280100, 0x00280008};
  private static final int[] INDEXED = Arrays.stream(INDEXED_TAGS).sorted().toArray();

  private static DicomHeader toHeader(AttributeList l, DicomStructure.Framing framing)
      throws DicomParseException, IOException {
    IndexedValues.Text text = tag -> text(l, new AttributeTag(tag >>> 16, tag & 0xFFFF));
    String ts = text.of(TRANSFER_SYNTAX);
    Integer bitsAllocated = DicomValues.integer(text.of(0x00280100));
    return toHeader(text, ts == null ? null : DicomJsonEncoder.encode(l, pixelDataVr(framing, ts, bitsAllocated)));
  }

  private static DicomHeader toHeader(IndexedValues.Text text, byte[] metadataJson) throws DicomParseException {
    String ts = text.of(TRANSFER_SYNTAX);
    if (ts == null) throw new DicomParseException("the File Meta Information has no Transfer Syntax UID (0002,0010)");
    IndexedValues typed = new IndexedValues(text);
    return new DicomHeader(
        ts,
        text.of(0x00080016), // SOPClassUID
        text.of(0x00080018), // SOPInstanceUID
        text.of(0x0020000D), // StudyInstanceUID
        text.of(0x0020000E), // SeriesInstanceUID
        text.of(0x00100020), // PatientID
        text.of(0x00100021), // IssuerOfPatientID
        DicomValues.personName(text.of(0x00100010)),
        typed.date(0x00100030), // PatientBirthDate
        text.of(0x00100040), // PatientSex
        typed.date(0x00080020), // StudyDate
        typed.time(0x00080030), // StudyTime
        text.of(0x00080050), // AccessionNumber
        text.of(0x00200010), // StudyID
        text.of(0x00081030), // StudyDescription
        DicomValues.personName(text.of(0x00080090)), // ReferringPhysicianName
        text.of(0x00080060), // Modality
        typed.integer(0x00200011), // SeriesNumber
        text.of(0x0008103E), // SeriesDescription
        text.of(0x00180015), // BodyPartExamined
        typed.date(0x00400244), // PerformedProcedureStepStartDate
        typed.time(0x00400245), // PerformedProcedureStepStartTime
        typed.integer(0x00200013), // InstanceNumber
        typed.integer(0x00280010), // Rows
        typed.integer(0x00280011), // Columns
        typed.integer(0x00280100), // BitsAllocated
        typed.integer(0x00280008), // NumberOfFrames
        metadataJson,
        typed.invalid());
  }

  /** Pixel Data's VR for the metadata: as encoded, or for implicit VR by PS3.5 8.2 / A.4. */
  static String pixelDataVr(DicomStructure.Framing framing, String ts, Integer bitsAllocated) {
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
