package dev.atrium.dicom;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Walks the element framing of a whole PS3.10 file (PS3.5 7.1, 7.5) without reading values:
 * every length must fit in the bytes that remain and every sequence must be closed. This
 * catches truncated files and lengths that lie before any parser allocates a value buffer.
 * Deflated data sets (whose inflated size is unknown up front) are left to the parser. Element
 * headers are read by {@link ElementReader}, the one element walker of this package.
 */
public final class DicomStructure {
  private static final int MAX_DEPTH = 32;

  private final long size;
  /** The VR of top-level Pixel Data as encoded ("" for implicit VR), or null when absent. */
  private String pixelDataVr;
  private long pixelDataAt = -1;
  private int wantedTag = -1;
  private ValueLocation found;

  private DicomStructure(long size) {
    this.size = size;
  }

  /**
   * Where a top-level value lies: at {@code offset} of the file, or of the inflated data set that begins at
   * {@code dataSetOffset} of the file when {@code deflated}; length -1 when it is undefined (encapsulated). {@code vr}
   * as encoded (null for implicit VR); {@code bigEndian} when the value's bytes are.
   */
  public record ValueLocation(long offset, long length, boolean deflated, long dataSetOffset, String vr,
      boolean bigEndian) {}

  /** Finds a top-level element's value in a PS3.10 file, inflating a deflated data set; null when it is absent. */
  static ValueLocation locate(InputStream part10, long size, int tag) throws IOException, DicomParseException {
    try (Part10File file = Part10File.read(part10)) {
      boolean deflated = file.syntax.deflated();
      DicomStructure walker = new DicomStructure(deflated ? Long.MAX_VALUE : size); // an inflated size is not known
      walker.wantedTag = tag;
      walker.walkDataSet(file.reader);
      ValueLocation found = walker.found;
      return found == null ? null : new ValueLocation(found.offset(), found.length(), deflated, file.dataSetOffset,
          found.vr(), !file.syntax.littleEndian());
    }
  }

  /** What the walk learned besides "well framed". */
  /** {@code headerBytes}: how many bytes of the file come before top-level Pixel Data (all of them without it). */
  record Framing(boolean hasPixelData, String pixelDataVr, boolean deflated, long headerBytes) {}

  /** Throws with a message naming the element whose framing is broken. */
  static Framing verify(InputStream part10, long size) throws IOException, DicomParseException {
    DicomStructure walker = new DicomStructure(size);
    boolean deflated = walker.walk(part10);
    return new Framing(walker.pixelDataVr != null, walker.pixelDataVr, deflated,
        walker.pixelDataAt >= 0 ? walker.pixelDataAt : size);
  }

  /** The same check for a bare data set (a DIMSE identifier) in a little endian transfer syntax. */
  static void verifyDataSet(InputStream dataSet, long size, String transferSyntax)
      throws IOException, DicomParseException {
    boolean explicitVr = !transferSyntax.equals(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);
    new DicomStructure(size).walkDataSet(new ElementReader(new BufferedInputStream(dataSet, 64 * 1024), explicitVr,
        true, 0));
  }

  /** True when the data set is deflated (and so was not walked). */
  private boolean walk(InputStream part10) throws IOException, DicomParseException {
    try (Part10File file = Part10File.read(part10)) { // checks the preamble and reads the meta information
      if (file.syntax.deflated()) return true;
      if (file.dataSetOffset > size) {
        throw new DicomParseException("the File Meta Information runs past the file's end");
      }
      walkDataSet(file.reader);
      return false;
    }
  }

  private void walkDataSet(ElementReader r) throws IOException, DicomParseException {
    while (r.position() < size && r.next()) {
      if (r.tag >>> 16 == 0xFFFE) throw broken(r.tag, "an item or delimiter tag at the top level of the data set");
      walkElement(r, 0);
    }
  }

  private void walkElement(ElementReader r, int depth) throws IOException, DicomParseException {
    int tag = r.tag;
    if (depth > MAX_DEPTH) throw broken(tag, "sequences nested deeper than " + MAX_DEPTH);
    String vr = r.vr; // null when implicit
    if (tag == ElementReader.PIXEL_DATA && depth == 0) {
      pixelDataVr = vr == null ? "" : vr;
      pixelDataAt = r.position();
    }
    if (tag == wantedTag && depth == 0) found = new ValueLocation(r.position(), r.length, false, 0, vr, false);
    if (r.length == ElementReader.UNDEFINED) {
      // Undefined length: a sequence, encapsulated pixel data, or UN holding a sequence.
      if (vr != null && !vr.equals("SQ") && !vr.equals("UN")
          && !(tag == ElementReader.PIXEL_DATA && vr.startsWith("O"))) {
        throw broken(tag, "undefined length on VR " + vr);
      }
      walkItems(r, tag, "UN".equals(vr), depth);
      return;
    }
    requireEven(tag, r.length);
    requireFits(r, tag, r.length);
    r.skip(r.length);
  }

  /**
   * PS3.5 7.1.1: value lengths are even. Stored byte for byte, an odd one would reach every peer a retrieve sends
   * the instance to, and dcmtk, for one, aborts the association on it (the study's other instances with it).
   */
  private static void requireEven(int tag, long length) throws DicomParseException {
    if ((length & 1) != 0) throw broken(tag, "has an odd value length (" + length + " bytes; PS3.5 7.1.1: even)");
  }

  private void walkItems(ElementReader r, int sequenceTag, boolean implicitItems, int depth)
      throws IOException, DicomParseException {
    boolean wasExplicit = r.explicitVr;
    if (implicitItems) r.explicitVr = false; // PS3.5 6.2.2: a UN sequence's items are implicit VR little endian
    while (true) {
      if (size - r.position() < 8) throw broken(sequenceTag, "the file ends inside this sequence (truncated)");
      r.next();
      if (r.tag == ElementReader.SEQUENCE_DELIMITER) break;
      if (r.tag != ElementReader.ITEM) throw broken(sequenceTag, "expected an item, found " + TagHex.display(r.tag));
      if (r.length != ElementReader.UNDEFINED) {
        requireEven(sequenceTag, r.length);
        requireFits(r, sequenceTag, r.length);
        r.skip(r.length);
        continue;
      }
      while (true) {
        if (size - r.position() < 8) throw broken(sequenceTag, "the file ends inside an item (truncated)");
        r.next();
        if (r.tag == ElementReader.ITEM_DELIMITER) break;
        walkElement(r, depth + 1);
      }
    }
    r.explicitVr = wasExplicit;
  }

  private void requireFits(ElementReader r, int tag, long length) throws DicomParseException {
    long remaining = size - r.position();
    if (length > remaining) {
      throw broken(tag, "declares a value of " + length + " bytes but only " + remaining
          + " remain (truncated file or a false length)");
    }
  }

  private static DicomParseException broken(int tag, String what) {
    return new DicomParseException("element " + TagHex.display(tag) + " " + what);
  }
}
