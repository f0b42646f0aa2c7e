package dev.atrium.dicom;

/**
 * The entropy-coded bits of a JPEG scan (ITU-T T.81 F.1.2.3): most significant first, a 0x00 after each 0xFF data byte
 * dropped. A marker ends the data: from there the reader yields zeros (T.81 F.2.2.5), and a decoder that reads far
 * past it is reading a damaged stream. {@link #restart()} steps over an RSTn marker.
 */
final class JpegBits {
  private static final int SLACK_BITS = 64;

  private final byte[] data;
  private int pos;
  private int register;
  private int count;
  private int paddedBits;

  JpegBits(byte[] data, int start) {
    this.data = data;
    this.pos = start;
  }

  int readBit() throws DicomParseException {
    if (count == 0) fill();
    count--;
    return register >>> count & 1;
  }

  /** {@code n} bits, 0 ≤ n ≤ 16. */
  int readBits(int n) throws DicomParseException {
    int value = 0;
    for (int i = 0; i < n; i++) value = value << 1 | readBit();
    return value;
  }

  private void fill() throws DicomParseException {
    int b = 0;
    if (atMarker()) {
      paddedBits += 8;
      if (paddedBits > SLACK_BITS) throw new DicomParseException("the JPEG scan ends before its last block");
    } else {
      b = data[pos++] & 0xFF;
      if (b == 0xFF) pos++; // the stuffed 0x00
    }
    register = b;
    count = 8;
  }

  private boolean atMarker() {
    return pos >= data.length || (data[pos] & 0xFF) == 0xFF && pos + 1 < data.length && data[pos + 1] != 0;
  }

  /** At the end of a restart interval: the rest of the byte is padding, then RSTn (T.81 F.1.2.3, E.1.4). */
  void restart() throws DicomParseException {
    count = 0;
    paddedBits = 0;
    while (pos < data.length && (data[pos] & 0xFF) == 0xFF && pos + 1 < data.length
        && (data[pos + 1] & 0xFF) == 0xFF) {
      pos++; // fill bytes
    }
    if (pos + 1 >= data.length || (data[pos] & 0xFF) != 0xFF || (data[pos + 1] & 0xF8) != 0xD0) {
      throw new DicomParseException("a JPEG restart marker is missing (damaged data)");
    }
    pos += 2;
  }

  /** Where the scan's data ended: the offset of the marker after it. */
  int endOfScan() {
    int at = pos;
    while (at + 1 < data.length && !((data[at] & 0xFF) == 0xFF && data[at + 1] != 0 && (data[at + 1] & 0xF8) != 0xD0
        && (data[at + 1] & 0xFF) != 0xFF)) {
      at++;
    }
    return at + 1 < data.length ? at : data.length;
  }
}
