package dev.atrium.dicom;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;

/** Lenient conversions of DICOM string values (PS3.5 6.2) to typed index values. */
final class DicomValues {
  private DicomValues() {}

  /** DA: YYYYMMDD (also the ACR-NEMA YYYY.MM.DD); anything else is not indexed. */
  static LocalDate date(String value) {
    if (value == null) return null;
    String digits = value.trim().replace(".", "");
    if (digits.length() != 8 || !digits.chars().allMatch(Character::isDigit)) return null;
    try {
      return LocalDate.of(Integer.parseInt(digits.substring(0, 4)), Integer.parseInt(digits.substring(4, 6)),
          Integer.parseInt(digits.substring(6, 8)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** TM: HH[MM[SS[.F{1,6}]]] (also HH:MM:SS); missing components are zero. */
  static LocalTime time(String value) {
    if (value == null) return null;
    String t = value.trim().replace(":", "");
    int dot = t.indexOf('.');
    String whole = dot >= 0 ? t.substring(0, dot) : t;
    String fraction = dot >= 0 ? t.substring(dot + 1) : "";
    if (whole.isEmpty() || whole.length() > 6 || whole.length() % 2 != 0 || fraction.length() > 6
        || !(whole + fraction).chars().allMatch(Character::isDigit)) {
      return null;
    }
    try {
      int hour = Integer.parseInt(whole.substring(0, 2));
      int minute = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : 0;
      int second = whole.length() == 6 ? Math.min(59, Integer.parseInt(whole.substring(4, 6))) : 0;
      int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000").substring(0, 6)) * 1000;
      return LocalTime.of(hour, minute, second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** IS: a decimal integer, possibly padded; out-of-range or malformed values are not indexed. */
  static Integer integer(String value) {
    if (value == null || value.isBlank()) return null;
    try {
      return Integer.valueOf(value.trim().replaceFirst("^\\+", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * PN in canonical form: trailing empty components and component groups carry no meaning
   * (PS3.5 6.2.1.1), so "Wang^XiaoDong=王^小东=" and "Wang^XiaoDong=王^小东" index alike.
   */
  static String personName(String value) {
    String text = text(value);
    if (text == null) return null;
    String[] groups = text.split("=", -1);
    StringBuilder name = new StringBuilder();
    int last = -1;
    for (int i = 0; i < groups.length; i++) {
      groups[i] = groups[i].replaceAll("[\\^ ]+$", "");
      if (!groups[i].isEmpty()) last = i;
    }
    for (int i = 0; i <= last; i++) {
      if (i > 0) name.append('=');
      name.append(groups[i]);
    }
    return name.isEmpty() ? null : name.toString();
  }

  static String text(String value) {
    if (value == null) return null;
    String trimmed = value.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }
}
