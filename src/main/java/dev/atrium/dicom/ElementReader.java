package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads a data set stream element header by element header (PS3.5 7.1, 7.5): tag, VR and length,
 * with the value read, skipped or copied on demand, so nothing larger than a caller's buffer is
 * ever held. Keeps its position in the stream for locating values.
 */
final class ElementReader {
  static final int ITEM = 0xFFFEE000;
  static final int ITEM_DELIMITER = 0xFFFEE00D;
  static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
  static final int PIXEL_DATA = 0x7FE00010;
  static final long UNDEFINED = -1;
  static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
  private static final int MAX_DEPTH = 32;

  private final InputStream in;
  private final boolean littleEndian;
  /** Mutable: the value of a UN of undefined length is implicit VR little endian (PS3.5 6.2.2). */
  boolean explicitVr;
  private long position;

  /** The current element: its tag, VR as encoded (null when implicit, or for items), length or UNDEFINED. */
  int tag;
  String vr;
  long length;

  ElementReader(InputStream in, boolean explicitVr, boolean littleEndian, long startPosition) {
    this.in = in;
    this.explicitVr = explicitVr;
    this.littleEndian = littleEndian;
    this.position = startPosition;
  }

  boolean littleEndian() {
    return littleEndian;
  }

  /** Where the next byte comes from, counted in the data set stream. */
  long position() {
    return position;
  }

  /** Reads the next header; false at the clean end of the stream. */
  boolean next() throws IOException {
    int b0 = in.read();
    if (b0 < 0) return false;
    position++;
    int b1 = readByte();
    int group = littleEndian ? b0 | (b1 << 8) : (b0 << 8) | b1;
    int element = u16();
    tag = (group << 16) | element;
    if (group == 0xFFFE) {
      vr = null;
      length = lengthOf(u32());
    } else if (explicitVr) {
      vr = new String(bytes(2), StandardCharsets.US_ASCII);
      if (LONG_VRS.contains(vr)) {
        skip(2);
        length = lengthOf(u32());
      } else {
        length = u16();
      }
    } else {
      vr = null;
      length = lengthOf(u32());
    }
    return true;
  }

  private static long lengthOf(long raw) {
    return raw == 0xFFFFFFFFL ? UNDEFINED : raw;
  }

  /** The current value, for small values only (the caller knows the length is small). */
  byte[] value() throws IOException {
    if (length < 0 || length > Integer.MAX_VALUE) throw broken(tag, "has no readable value");
    return bytes((int) length);
  }

  /** Skips the current element's value, walking items of undefined length. */
  void skipValue() throws IOException {
    if (length != UNDEFINED) {
      skip(length);
      return;
    }
    skipItems(0);
  }

  /** Skips the items of an undefined-length sequence or encapsulated value, through its delimiter. */
  private void skipItems(int depth) throws IOException {
    if (depth > MAX_DEPTH) throw broken(tag, "sequences nested too deeply");
    boolean wasExplicit = explicitVr;
    if ("UN".equals(vr)) explicitVr = false;
    while (true) {
      if (!next()) throw new EOFException("the file ends inside a sequence (truncated)");
      if (tag == SEQUENCE_DELIMITER) break;
      if (tag != ITEM) throw broken(tag, "found where an item was expected");
      if (length != UNDEFINED) {
        skip(length);
        continue;
      }
      while (true) {
        if (!next()) throw new EOFException("the file ends inside an item (truncated)");
        if (tag == ITEM_DELIMITER) break;
        if (length == UNDEFINED) skipItems(depth + 1);
        else skip(length);
      }
    }
    explicitVr = wasExplicit;
  }

  /**
   * Copies {@code n} value bytes to {@code out} through {@code buffer}, reversing the byte order
   * of each {@code swapWidth}-byte number when it is 2, 4 or 8 (PS3.5 7.3).
   */
  void copy(long n, OutputStream out, byte[] buffer, int swapWidth) throws IOException {
    int chunk = buffer.length - buffer.length % 8;
    for (long left = n; left > 0; ) {
      int want = (int) Math.min(chunk, left);
      readFully(buffer, want);
      if (swapWidth > 1) ByteSwap.swap(buffer, want, swapWidth);
      out.write(buffer, 0, want);
      left -= want;
    }
  }

  void readFully(byte[] buffer, int n) throws IOException {
    int read = in.readNBytes(buffer, 0, n);
    position += read;
    if (read < n) throw new EOFException("the file ends in the middle of an element (truncated)");
  }

  void skip(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) throw new EOFException("the file ends in the middle of an element (truncated)");
        skipped = 1;
      }
      left -= skipped;
    }
    position += n;
  }

  int u16() throws IOException {
    int a = readByte();
    int b = readByte();
    return littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  long u32() throws IOException {
    long a = readByte();
    long b = readByte();
    long c = readByte();
    long d = readByte();
    return littleEndian ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d;
  }

  byte[] bytes(int n) throws IOException {
    byte[] b = new byte[n];
    readFully(b, n);
    return b;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) throw new EOFException("the file ends in the middle of an element (truncated)");
    position++;
    return b;
  }

  /** The framing of the stored data set is broken; the message names the element. */
  static final class BrokenElementException extends IOException {
    BrokenElementException(String message) {
      super(message);
    }
  }

  static BrokenElementException broken(int tag, String what) {
    return new BrokenElementException(String.format("element (%04X,%04X) %s", tag >>> 16, tag & 0xFFFF, what));
  }
}
