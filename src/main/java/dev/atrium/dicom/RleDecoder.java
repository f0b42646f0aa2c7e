package dev.atrium.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * DICOM RLE Lossless (PS3.5 Annex G) for any bit depth: a 64-byte header of segment offsets,
 * one PackBits segment per byte of each sample, most significant byte first (G.2). Decodes to
 * little endian samples, colour-by-plane, which is how {@link FrameDecoder} then reads them.
 */
final class RleDecoder {
  private static final int HEADER = 64;

  private RleDecoder() {}

  static byte[] decode(byte[] frame, int rows, int columns, int samplesPerPixel, int bytesPerSample)
      throws NotRenderableException {
    int pixels = rows * columns;
    int segments = samplesPerPixel * bytesPerSample;
    if (frame.length < HEADER) throw broken("the frame is shorter than its 64-byte header");
    ByteBuffer header = ByteBuffer.wrap(frame, 0, HEADER).order(ByteOrder.LITTLE_ENDIAN);
    int declared = header.getInt();
    if (declared != segments) {
      throw broken("it has " + declared + " segments where " + segments + " are needed (G.5)");
    }
    long[] offsets = new long[segments + 1];
    for (int i = 0; i < segments; i++) offsets[i] = Integer.toUnsignedLong(header.getInt());
    offsets[segments] = frame.length;
    byte[] out = new byte[pixels * segments];
    for (int segment = 0; segment < segments; segment++) {
      if (offsets[segment] < HEADER || offsets[segment] > offsets[segment + 1]) {
        throw broken("segment " + (segment + 1) + " has offset " + offsets[segment]);
      }
      int sample = segment / bytesPerSample;
      int significance = bytesPerSample - 1 - segment % bytesPerSample; // byte index within a little endian sample
      unpack(frame, (int) offsets[segment], (int) offsets[segment + 1], out,
          sample * pixels * bytesPerSample + significance, bytesPerSample, pixels);
    }
    return out;
  }

  /** PackBits (G.3.1): n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
  private static void unpack(byte[] in, int from, int to, byte[] out, int start, int stride, int count) {
    int written = 0;
    int i = from;
    while (i < to && written < count) {
      int n = in[i++];
      if (n >= 0) {
        for (int k = 0; k <= n && i < to && written < count; k++) out[start + stride * written++] = in[i++];
      } else if (n != -128 && i < to) {
        byte value = in[i++];
        for (int k = 0; k < 1 - n && written < count; k++) out[start + stride * written++] = value;
      }
    }
  }

  private static NotRenderableException broken(String what) {
    return new NotRenderableException("the RLE frame cannot be decoded: " + what);
  }
}
