package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reverses the byte order of fixed-width numbers in place (little ↔ big endian, PS3.5 7.3). */
public final class ByteSwap {
  private static final int BUFFER = 64 * 1024;

  private ByteSwap() {}

  /**
   * Copies {@code length} bytes, reversing the byte order of each {@code width}-byte number when width is 2, 4 or 8;
   * memory stays one buffer whatever the length.
   */
  public static void copy(InputStream in, OutputStream out, long length, int width) throws IOException {
    byte[] buffer = new byte[BUFFER];
    for (long left = length; left > 0; ) {
      int want = (int) Math.min(buffer.length, left);
      int n = in.readNBytes(buffer, 0, want);
      if (n < want) throw new EOFException("stored file shorter than its element says");
      swap(buffer, n, width);
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /** Swaps each {@code width}-byte number in the first {@code length} bytes; width 0 or 1 leaves them. */
  static void swap(byte[] bytes, int length, int width) {
    if (width < 2) return;
    for (int at = 0; at + width <= length; at += width) {
      for (int i = 0, j = at + width - 1, k = at; i < width / 2; i++, j--, k++) {
        byte t = bytes[k];
        bytes[k] = bytes[j];
        bytes[j] = t;
      }
    }
  }

  /** The byte width of the numbers of a VR, whose order an endianness change reverses; 0 for bytes and text. */
  public static int width(String vr) {
    return switch (vr) {
      case "US", "SS", "OW", "AT" -> 2;
      case "UL", "SL", "FL", "OL", "OF" -> 4;
      case "FD", "OD", "SV", "UV", "OV" -> 8;
      default -> 0;
    };
  }
}
