package dev.atrium.dicom;

/** Reverses the byte order of fixed-width numbers in place (little ↔ big endian, PS3.5 7.3). */
final class ByteSwap {
  private ByteSwap() {}

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
  static int width(String vr) {
    return switch (vr) {
      case "US", "SS", "OW", "AT" -> 2;
      case "UL", "SL", "FL", "OL", "OF" -> 4;
      case "FD", "OD", "SV", "UV", "OV" -> 8;
      default -> 0;
    };
  }
}
