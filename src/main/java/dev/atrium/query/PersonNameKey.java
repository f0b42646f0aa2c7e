package dev.atrium.query;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What person names are matched by, stored and asked alike: upper case, and Latin letters without their accents, so
 * that "muller" finds "Müller^Jürgen", "sorensen" finds "Sørensen" and "MULLER" finds "Muller". PS3.4 C.2.2.2.1 lets
 * an SCP match PN without regard to case; accents go one step further, as in Orthanc's name lookups (upper-case
 * ASCII) and MariaDB's usual collations (which Atrium's tables do not use: they compare exactly). Only marks on Latin
 * letters go: a Japanese kana's voicing mark or a Greek tonos changes the letter, and stays.
 */
public final class PersonNameKey {
  private PersonNameKey() {}

  public static String of(String name) {
    if (name == null) return null;
    if (name.chars().allMatch(c -> c < 0x80)) return name.toUpperCase(Locale.ROOT); // the common case, no copy
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD);
    StringBuilder folded = new StringBuilder(decomposed.length());
    int base = -1; // the last character that is not a mark
    for (int i = 0; i < decomposed.length(); ) {
      int c = decomposed.codePointAt(i);
      i += Character.charCount(c);
      if (Character.getType(c) == Character.NON_SPACING_MARK) {
        if (base >= 0 && Character.UnicodeScript.of(base) == Character.UnicodeScript.LATIN) continue;
      } else {
        base = c;
      }
      String plain = withoutStroke(c);
      if (plain != null) folded.append(plain);
      else folded.appendCodePoint(c);
    }
    return Normalizer.normalize(folded, Normalizer.Form.NFC).toUpperCase(Locale.ROOT);
  }

  /** Latin letters whose mark is part of the letter, so that no decomposition takes it off (Sørensen, Łukasz). */
  private static String withoutStroke(int c) {
    return switch (c) {
      case 'Ø', 'ø' -> "O";
      case 'Ł', 'ł' -> "L";
      case 'Đ', 'đ' -> "D";
      case 'Ħ', 'ħ' -> "H";
      case 'Ŧ', 'ŧ' -> "T";
      case 'Æ', 'æ' -> "AE";
      case 'Œ', 'œ' -> "OE";
      case 'Þ', 'þ' -> "TH";
      default -> null;
    };
  }
}
