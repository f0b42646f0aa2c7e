package dev.atrium.tags;

import dev.atrium.dicom.DicomUid;
import dev.atrium.query.TemporalValues;
import java.time.DateTimeException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value rules of PS3.5 Table 6.2-1 for the VRs an extended query tag may have: a DICOM
 * string value in, the typed value the index keeps out (String, Long, Double, LocalDate,
 * LocalDateTime, LocalTime), or an IllegalArgumentException saying what breaks the rule.
 */
final class VrValues {
  static final Set<String> SUPPORTED = Set.of("AE", "AS", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "PN", "SH",
      "SL", "SS", "TM", "UI", "UL", "US");

  private static final Pattern AGE = Pattern.compile("\\d{3}[DWMY]");
  private static final Pattern CODE = Pattern.compile("[A-Z0-9 _]*");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  private VrValues() {}

  static Object parse(String vr, String raw) {
    String v = raw.strip();
    return switch (vr) {
      case "AE" -> text(v, 16);
      case "AS" -> matching(v, AGE, "not an age nnnD, nnnW, nnnM or nnnY");
      case "CS" -> matching(text(v, 16), CODE, "only upper-case letters, digits, space and underscore are allowed");
      case "LO" -> text(v, 64);
      case "SH" -> text(v, 16);
      case "PN" -> personName(raw);
      case "UI" -> uid(v.replace("\0", ""));
      case "DA" -> temporal(() -> TemporalValues.date(v), "not a date YYYYMMDD");
      case "TM" -> temporal(() -> TemporalValues.time(maxLength(v, 16), false), "not a time HHMMSS.FFFFFF");
      case "DT" -> temporal(() -> TemporalValues.dateTime(TemporalValues.withoutOffset(maxLength(v, 26)), false),
          "not a date-time YYYYMMDDHHMMSS.FFFFFF&ZZXX");
      case "DS" -> Double.parseDouble(matching(maxLength(v, 16), DECIMAL, "not a decimal number"));
      case "FD" -> finite(v);
      case "FL" -> Double.parseDouble(Float.toString((float) finite(v))); // 0.1f indexes as 0.1, as written
      case "IS" -> integer(maxLength(v, 12), Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "SL" -> integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "SS" -> integer(v, Short.MIN_VALUE, Short.MAX_VALUE);
      case "UL" -> integer(v, 0, 0xFFFFFFFFL);
      case "US" -> integer(v, 0, 0xFFFF);
      default -> throw new IllegalArgumentException("VR " + vr + " is not supported");
    };
  }

  /** Character strings: at most {@code max} characters, no backslash, no control characters but ESC. */
  private static String text(String v, int max) {
    maxLength(v, max);
    for (char c : v.toCharArray()) {
      if (c == '\\' || (c < 0x20 && c != 0x1B)) throw new IllegalArgumentException("contains a backslash or a control "
          + "character");
    }
    return v;
  }

  private static String maxLength(String v, int max) {
    if (v.length() > max) throw new IllegalArgumentException("longer than the " + max + " characters the VR allows");
    return v;
  }

  private static String matching(String v, Pattern pattern, String why) {
    if (!pattern.matcher(v).matches()) throw new IllegalArgumentException(why);
    return v;
  }

  /** PN: at most three component groups of at most five components and 64 characters each. */
  private static String personName(String v) {
    String name = v.replaceAll("[\\^ =]+$", "");
    String[] groups = name.split("=", -1);
    if (groups.length > 3) throw new IllegalArgumentException("more than three component groups");
    for (String group : groups) {
      text(group, 64);
      if (group.split("\\^", -1).length > 5) throw new IllegalArgumentException("more than five name components");
    }
    return name;
  }

  private static String uid(String v) {
    if (!DicomUid.isValid(v)) throw new IllegalArgumentException("not a valid UID (PS3.5 9.1)");
    return v;
  }

  private interface Temporal {
    Object parse();
  }

  private static Object temporal(Temporal parse, String why) {
    try {
      return parse.parse();
    } catch (DateTimeException | NumberFormatException e) {
      throw new IllegalArgumentException(why);
    }
  }

  private static double finite(String v) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
    if (!Double.isFinite(d)) throw new IllegalArgumentException("not a finite number");
    return d;
  }

  private static long integer(String v, long min, long max) {
    if (!INTEGER.matcher(v).matches()) throw new IllegalArgumentException("not an integer");
    long n;
    try {
      n = Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("out of the VR's range " + min + ".." + max);
    }
    if (n < min || n > max) throw new IllegalArgumentException("out of the VR's range " + min + ".." + max);
    return n;
  }
}
