package dev.atrium.dicom;

/**
 * Tags as text: {@code GGGGEEEE} (the DICOM JSON key, PS3.18 F.2.1.1) and {@code (GGGG,EEEE)}
 * for messages. Hand-rolled because it runs for every attribute of every metadata document and
 * query result, where {@code String.format} was the largest single cost.
 */
public final class TagHex {
  private static final byte[] DIGITS = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private TagHex() {}

  /** Eight upper-case hex digits, e.g. {@code 0020000D}. */
  public static String of(int tag) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--, tag >>>= 4) out[i] = DIGITS[tag & 0xF];
    return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Eight hex digits from group and element, e.g. {@code of(0x0020, 0x000D)}. */
  public static String of(int group, int element) {
    return of(group << 16 | element & 0xFFFF);
  }

  /** {@code (GGGG,EEEE)}, the way the standard writes a tag in prose. */
  public static String display(int tag) {
    String hex = of(tag);
    return "(" + hex.substring(0, 4) + "," + hex.substring(4) + ")";
  }
}
