package dev.atrium.dicom;

import java.util.Set;

/** The Specific Character Set (0008,0005) defined terms of PS3.3 C.12.1.1.2, tables C.12-2 to C.12-5. */
final class CharacterSets {
  private static final Set<String> DEFINED_TERMS = Set.of(
      // single-byte without code extensions (C.12-2), and multi-byte without (C.12-5)
      "ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126",
      "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166", "ISO_IR 192", "GB18030", "GBK",
      // with code extensions (C.12-3, C.12-4)
      "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110",
      "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148",
      "ISO 2022 IR 203", "ISO 2022 IR 13", "ISO 2022 IR 166", "ISO 2022 IR 87", "ISO 2022 IR 159",
      "ISO 2022 IR 149", "ISO 2022 IR 58");

  private CharacterSets() {}

  /** The first value that is not a defined term, or null when all are (an empty value is the default repertoire). */
  static String firstUnknown(String backslashSeparatedValues) {
    for (String value : backslashSeparatedValues.split("\\\\", -1)) {
      String term = value.strip();
      if (!term.isEmpty() && !DEFINED_TERMS.contains(term)) return term;
    }
    return null;
  }
}
