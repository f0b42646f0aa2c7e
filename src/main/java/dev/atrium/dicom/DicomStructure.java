package dev.atrium.dicom;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Walks the element framing of a whole PS3.10 file (PS3.5 7.1, 7.5) without reading values:
 * every length must fit in the bytes that remain and every sequence must be closed. This
 * catches truncated files and lengths that lie before any parser allocates a value buffer.
 * Deflated data sets (whose inflated size is unknown up front) are left to the parser.
 */
public final class DicomStructure {
  private static final long UNDEFINED = 0xFFFFFFFFL;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_DELIMITER = 0xFFFEE00D;
  private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
  private static final int PIXEL_DATA = 0x7FE00010;
  /** VRs with a reserved field and a 32-bit length (PS3.5 7.1.2). */
  static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
  private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
  private static final int MAX_DEPTH = 32;

  private final DataInputStream in;
  private long remaining;
  private boolean littleEndian = true;
  private boolean explicitVr = true;
  /** The VR of top-level Pixel Data as encoded ("" for implicit VR), or null when absent. */
  private String pixelDataVr;
  private final long size;
  private int wantedTag = -1;
  private ValueLocation found;

  private DicomStructure(InputStream in, long size) {
    this.in = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
    this.remaining = size;
    this.size = size;
  }

  /** Where a top-level value lies in the file; length -1 when it is undefined (encapsulated). */
  public record ValueLocation(long offset, long length, boolean deflated) {}

  /** Finds a top-level element's value in a PS3.10 file; null when the element is absent. */
  static ValueLocation locate(InputStream part10, long size, int tag) throws IOException, DicomParseException {
    DicomStructure walker = new DicomStructure(part10, size);
    walker.wantedTag = tag;
    if (walker.walk()) return new ValueLocation(-1, -1, true);
    return walker.found;
  }

  /** What the walk learned besides "well framed". */
  record Framing(boolean hasPixelData, String pixelDataVr, boolean deflated) {}

  /** Throws with a message naming the element whose framing is broken. */
  static Framing verify(InputStream part10, long size) throws IOException, DicomParseException {
    DicomStructure walker = new DicomStructure(part10, size);
    boolean deflated = walker.walk();
    return new Framing(walker.pixelDataVr != null, walker.pixelDataVr, deflated);
  }

  /** The same check for a bare data set (a DIMSE identifier) in a little endian transfer syntax. */
  static void verifyDataSet(InputStream dataSet, long size, String transferSyntax)
      throws IOException, DicomParseException {
    DicomStructure structure = new DicomStructure(dataSet, size);
    structure.explicitVr = !transferSyntax.equals(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);
    structure.walkDataSet();
  }

  /** True when the data set is deflated (and so was not walked). */
  private boolean walk() throws IOException, DicomParseException {
    skip(128);
    byte[] magic = bytes(4);
    if (!new String(magic, StandardCharsets.US_ASCII).equals("DICM")) {
      throw new DicomParseException("not a DICOM PS3.10 file: no 128-byte preamble followed by 'DICM'");
    }
    String transferSyntax = walkMeta();
    if (transferSyntax.equals(DEFLATED)) return true;
    explicitVr = !transferSyntax.equals(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);
    littleEndian = !transferSyntax.equals("1.2.840.10008.1.2.2");
    walkDataSet();
    return false;
  }

  private void walkDataSet() throws IOException, DicomParseException {
    while (remaining > 0) {
      int tag = readTag();
      if (tag == ITEM || tag == ITEM_DELIMITER || tag == SEQUENCE_DELIMITER) {
        throw broken(tag, "an item or delimiter tag at the top level of the data set");
      }
      walkElement(tag, 0);
    }
  }

  /** The meta group is always explicit VR little endian (PS3.10 7.1). */
  private String walkMeta() throws IOException, DicomParseException {
    String transferSyntax = null;
    while (remaining > 0) {
      in.mark(8);
      int group = u16();
      if (group != 0x0002) {
        in.reset();
        remaining += 2;
        break;
      }
      int element = u16();
      String vr = new String(bytes(2), StandardCharsets.US_ASCII);
      long length = LONG_VRS.contains(vr) ? skipReservedThenU32() : u16();
      requireFits((0x0002 << 16) | element, length);
      if (element == 0x0010) {
        transferSyntax = new String(bytes((int) length), StandardCharsets.US_ASCII).replace("\0", "").trim();
      } else {
        skip(length);
      }
    }
    if (transferSyntax == null) {
      throw new DicomParseException("the File Meta Information has no Transfer Syntax UID (0002,0010)");
    }
    return transferSyntax;
  }

  private void walkElement(int tag, int depth) throws IOException, DicomParseException {
    if (depth > MAX_DEPTH) throw broken(tag, "sequences nested deeper than " + MAX_DEPTH);
    String vr = null;
    long length;
    if (explicitVr) {
      vr = new String(bytes(2), StandardCharsets.US_ASCII);
      length = LONG_VRS.contains(vr) ? skipReservedThenU32() : u16();
    } else {
      length = u32();
    }
    if (tag == PIXEL_DATA && depth == 0) pixelDataVr = vr == null ? "" : vr;
    if (tag == wantedTag && depth == 0) found = new ValueLocation(size - remaining, length == UNDEFINED ? -1 : length,
        false);
    if (length == UNDEFINED) {
      // Undefined length: a sequence, encapsulated pixel data, or UN holding a sequence.
      if (explicitVr && !vr.equals("SQ") && !vr.equals("UN") && !(tag == PIXEL_DATA && vr.startsWith("O"))) {
        throw broken(tag, "undefined length on VR " + vr);
      }
      walkItems(tag, depth);
      return;
    }
    requireFits(tag, length);
    skip(length);
  }

  private void walkItems(int sequenceTag, int depth) throws IOException, DicomParseException {
    while (true) {
      if (remaining < 8) throw broken(sequenceTag, "the file ends inside this sequence (truncated)");
      int tag = readTag();
      long length = u32();
      if (tag == SEQUENCE_DELIMITER) return;
      if (tag != ITEM) throw broken(sequenceTag, "expected an item, found " + hex(tag));
      if (length != UNDEFINED) {
        requireFits(sequenceTag, length);
        skip(length);
        continue;
      }
      while (true) {
        if (remaining < 8) throw broken(sequenceTag, "the file ends inside an item (truncated)");
        int inner = readTag();
        if (inner == ITEM_DELIMITER) {
          u32();
          break;
        }
        walkElement(inner, depth + 1);
      }
    }
  }

  private void requireFits(int tag, long length) throws DicomParseException {
    if (length > remaining) {
      throw broken(tag, "declares a value of " + length + " bytes but only " + remaining
          + " remain (truncated file or a false length)");
    }
  }

  private int readTag() throws IOException {
    int group = u16();
    int element = u16();
    return (group << 16) | element;
  }

  private long skipReservedThenU32() throws IOException {
    skip(2);
    return u32();
  }

  private int u16() throws IOException {
    take(2);
    int a = in.readUnsignedByte();
    int b = in.readUnsignedByte();
    return littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  private long u32() throws IOException {
    take(4);
    long a = in.readUnsignedByte();
    long b = in.readUnsignedByte();
    long c = in.readUnsignedByte();
    long d = in.readUnsignedByte();
    return littleEndian ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d;
  }

  private byte[] bytes(int n) throws IOException {
    take(n);
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private void skip(long n) throws IOException {
    take(n);
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) throw new EOFException();
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private void take(long n) throws EOFException {
    if (n > remaining) throw new EOFException("the file ends in the middle of an element (truncated)");
    remaining -= n;
  }

  private static DicomParseException broken(int tag, String what) {
    return new DicomParseException("element " + hex(tag) + " " + what);
  }

  private static String hex(int tag) {
    return TagHex.display(tag);
  }
}
