package dev.atrium.dicom;

/**
 * What the header reader needs to know of a VR (PS3.5 6.2), looked up by its two letters instead of hashing the
 * string against several sets for every element.
 */
final class VrKind {
  /** Text values (PS3.5 6.2), as opposed to binary numbers and byte strings. */
  static final int TEXT = 1;
  /** One value that may contain backslashes: LT, ST, UT, UR (PS3.5 6.2). */
  static final int SINGLE_VALUED = 2;
  /** Decoded with the Specific Character Set (PS3.5 6.1.2.3). */
  static final int CHARACTER_SET = 4;
  /** Bytes listed inline or by BulkDataURI in DICOM JSON (PS3.18 F.2.7). */
  static final int BINARY = 8;

  private static final byte[] KINDS = new byte[26 * 26];

  static {
    for (String vr : new String[] {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC",
        "UI", "UR", "UT"}) {
      KINDS[index(vr)] |= TEXT;
    }
    for (String vr : new String[] {"LT", "ST", "UT", "UR"}) KINDS[index(vr)] |= SINGLE_VALUED;
    for (String vr : new String[] {"SH", "LO", "ST", "LT", "UT", "PN", "UC"}) KINDS[index(vr)] |= CHARACTER_SET;
    for (String vr : DicomJsonEncoder.BINARY) KINDS[index(vr)] |= BINARY;
  }

  private VrKind() {}

  /** The flags of {@code vr}; none for a string that is not two capital letters. */
  static int of(String vr) {
    int i = index(vr);
    return i < 0 ? 0 : KINDS[i];
  }

  private static int index(String vr) {
    if (vr.length() != 2) return -1;
    int a = vr.charAt(0) - 'A';
    int b = vr.charAt(1) - 'A';
    return a < 0 || a >= 26 || b < 0 || b >= 26 ? -1 : a * 26 + b;
  }
}
