package dev.atrium.dicom;

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G) to native pixels: the 64-byte header lists the
 * segments, one per byte of each sample (most significant byte first), each PackBits encoded.
 * The result is little endian, color-by-pixel (Planar Configuration 0).
 */
final class RleDecoder {
  private RleDecoder() {}

  static byte[] decode(byte[] frame, ImagePixels p) throws UnsupportedTranscodingException {
    if (p.bitsAllocated() % 8 != 0 || p.bitsAllocated() == 0) {
      throw new UnsupportedTranscodingException("RLE frames with Bits Allocated " + p.bitsAllocated()
          + " cannot be decoded");
    }
    int bytesPerSample = p.bitsAllocated() / 8;
    int pixels = p.rows() * p.columns();
    int segments = p.samplesPerPixel() * bytesPerSample;
    if (frame.length < 64 || le32(frame, 0) != segments) {
      throw new UnsupportedTranscodingException("RLE frame header does not list " + segments
          + " segments for " + p.samplesPerPixel() + " samples of " + p.bitsAllocated() + " bits (PS3.5 G.4)");
    }
    byte[] out = new byte[pixels * segments];
    for (int s = 0; s < segments; s++) {
      int start = le32(frame, 4 + 4 * s);
      int end = s + 1 < segments ? le32(frame, 8 + 4 * s) : frame.length;
      if (start < 64 || end > frame.length || start > end) {
        throw new UnsupportedTranscodingException("RLE segment " + (s + 1) + " lies outside its frame");
      }
      int sample = s / bytesPerSample;
      int littleEndianByte = bytesPerSample - 1 - s % bytesPerSample;
      unpack(frame, start, end, out, sample * bytesPerSample + littleEndianByte, segments, pixels);
    }
    return out;
  }

  /** PackBits (PS3.5 G.3.1): n ≥ 0 copies n+1 bytes, -127 ≤ n ≤ -1 repeats the next byte 1-n times. */
  private static void unpack(byte[] in, int from, int end, byte[] out, int first, int stride, int count) {
    int written = 0;
    int at = first;
    int i = from;
    while (i < end && written < count) {
      int n = in[i++];
      if (n >= 0) {
        for (int k = 0; k <= n && i < end && written < count; k++, written++, at += stride) out[at] = in[i++];
      } else if (n != -128 && i < end) {
        byte b = in[i++];
        for (int k = 0; k < 1 - n && written < count; k++, written++, at += stride) out[at] = b;
      }
    }
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
