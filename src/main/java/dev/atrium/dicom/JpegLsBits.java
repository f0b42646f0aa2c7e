package dev.atrium.dicom;

/**
 * The entropy-coded bits of one JPEG-LS scan, most significant first (ITU-T T.87 A.1). After a 0xFF byte the encoder
 * stuffs a zero bit, so only the 7 low bits of the next byte are data (T.87 9.1). The scan ends where a marker
 * begins (0xFF followed by a byte with its high bit set), which the caller found; past it the reader yields zeros, and
 * a decoder that reads far past it is reading a damaged stream.
 */
final class JpegLsBits {
  /** Zero bits a valid stream may need past its end: padding of the last byte and the decoder's look-ahead. */
  private static final int SLACK_BITS = 64;

  private final byte[] data;
  private final int end;
  private int pos;
  private long register; // the next bits, left-aligned
  private int count; // how many of them are valid
  private boolean afterFF;
  private int paddedBits;

  JpegLsBits(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  private void fill() throws DicomParseException {
    while (count <= 56) {
      if (pos >= end) {
        paddedBits += 8;
        if (paddedBits > SLACK_BITS) throw new DicomParseException("the JPEG-LS scan ends before its last sample");
        count += 8;
        continue;
      }
      int b = data[pos++] & 0xFF;
      if (afterFF) {
        register |= (long) b << (57 - count); // bit 7 is the stuffed zero
        count += 7;
      } else {
        register |= (long) b << (56 - count);
        count += 8;
      }
      afterFF = b == 0xFF;
    }
  }

  int readBit() throws DicomParseException {
    if (count == 0) fill();
    int bit = (int) (register >>> 63);
    register <<= 1;
    count--;
    return bit;
  }

  /** {@code n} bits, 0 ≤ n ≤ 31, as an unsigned value. */
  int readBits(int n) throws DicomParseException {
    if (n == 0) return 0;
    if (count < n) fill();
    int value = (int) (register >>> (64 - n));
    register <<= n;
    count -= n;
    return value;
  }

  /** The number of zero bits before the next one bit, which is consumed too (the unary part of a Golomb code). */
  int readZerosAndOne(int max) throws DicomParseException {
    int zeros = 0;
    while (true) {
      if (count == 0) fill();
      int lead = Long.numberOfLeadingZeros(register);
      if (lead < count) {
        zeros += lead;
        register = lead == 63 ? 0 : register << (lead + 1);
        count -= lead + 1;
        return zeros;
      }
      zeros += count;
      register = 0;
      count = 0;
      if (zeros > max) throw new DicomParseException("a JPEG-LS code is longer than the limit (damaged data)");
    }
  }

  /**
   * Where the entropy-coded data beginning at {@code start} ends: the offset of the marker after it, or the end of
   * the data when none follows.
   */
  static int endOfScan(byte[] data, int start, int limit) {
    for (int i = start; i + 1 < limit; i++) {
      if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) >= 0x80) return i;
    }
    return limit;
  }
}
