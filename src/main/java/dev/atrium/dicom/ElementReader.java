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
  /** Each two-letter VR once, indexed by {@link #letterPair}, so a header read makes no String. */
  private static final String[] VR_NAMES = new String[26 * 26];
  private static final boolean[] LONG_VR = new boolean[26 * 26];

  static {
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'A'; b <= 'Z'; b++) {
        String name = new String(new char[] {a, b});
        VR_NAMES[letterPair(a, b)] = name;
        LONG_VR[letterPair(a, b)] = LONG_VRS.contains(name);
      }
    }
  }

  private final InputStream in;
  private final boolean littleEndian;
  /** Mutable: the value of a UN of undefined length is implicit VR little endian (PS3.5 6.2.2). */
  boolean explicitVr;
  private long position;
  /** An element header is read whole into this: one read per header, not one per byte. */
  private final byte[] header = new byte[8];

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
    int n = in.readNBytes(header, 0, 8); // tag and VR and short length, or tag and 32-bit length
    position += n;
    if (n == 0) return false;
    if (n < 8) throw new EOFException("the file ends in the middle of an element (truncated)");
    int group = u16At(0);
    tag = (group << 16) | u16At(2);
    if (group == 0xFFFE || !explicitVr) {
      vr = null;
      length = lengthOf(u32At(4));
      return true;
    }
    int c0 = header[4], c1 = header[5];
    boolean letters = c0 >= 'A' && c0 <= 'Z' && c1 >= 'A' && c1 <= 'Z';
    vr = letters ? VR_NAMES[letterPair(c0, c1)] : new String(header, 4, 2, StandardCharsets.US_ASCII);
    if (letters && LONG_VR[letterPair(c0, c1)]) {
      readFully(header, 4); // after two reserved bytes (header[6..7]), a 32-bit length
      length = lengthOf(u32At(0));
    } else {
      length = u16At(6);
    }
    return true;
  }

  private static int letterPair(int a, int b) {
    return (a - 'A') * 26 + (b - 'A');
  }

  private int u16At(int i) {
    int a = header[i] & 0xFF, b = header[i + 1] & 0xFF;
    return littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  private long u32At(int i) {
    long a = header[i] & 0xFF, b = header[i + 1] & 0xFF, c = header[i + 2] & 0xFF, d = header[i + 3] & 0xFF;
    return littleEndian ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d;
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
