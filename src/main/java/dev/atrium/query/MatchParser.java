package dev.atrium.query;

import dev.atrium.dicom.DicomUid;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns a raw DICOM match value into a {@link Criterion}, or says precisely why it cannot. */
final class MatchParser {
  private MatchParser() {}

  /** Null for universal matching (an empty value). */
  static Criterion parse(QueryAttribute a, String raw, boolean fuzzy) {
    String value = raw == null ? "" : raw.strip();
    if (value.isEmpty() || value.equals("*")) return null;
    if (!a.matchable()) throw invalid(a, value, "cannot be used as a match key, only returned");
    return switch (a.vr()) {
      case "UI" -> uidList(a, value);
      case "DA" -> dateRange(a, value);
      case "TM" -> timeRange(a, value);
      case "IS" -> number(a, value);
      case "PN" -> personName(a, value, fuzzy);
      case "CS" -> value.contains("\\") ? new Criterion.AnyOf(a, List.of(value.split("\\\\")))
          : text(a, value);
      default -> text(a, value);
    };
  }

  private static Criterion text(QueryAttribute a, String value) {
    return hasWildcard(value) ? new Criterion.Wildcard(a, value) : new Criterion.Exact(a, value);
  }

  private static Criterion personName(QueryAttribute a, String value, boolean fuzzy) {
    if (fuzzy && !hasWildcard(value)) {
      List<String> words = Arrays.stream(value.toUpperCase(Locale.ROOT).split("[\\s^=,]+"))
          .filter(w -> !w.isEmpty()).toList();
      return new Criterion.FuzzyName(a, words);
    }
    return text(a, value);
  }

  private static Criterion uidList(QueryAttribute a, String value) {
    List<String> uids = Arrays.stream(value.split("[\\\\,]")).map(String::strip).toList();
    for (String uid : uids) {
      if (!DicomUid.isValid(uid)) {
        throw invalid(a, uid, "is not a valid UID (PS3.5 9.1); a list is UID,UID or UID\\UID");
      }
    }
    return new Criterion.UidList(a, uids);
  }

  private static Criterion number(QueryAttribute a, String value) {
    try {
      return new Criterion.Number(a, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw invalid(a, value, "is not an integer");
    }
  }

  private static Criterion dateRange(QueryAttribute a, String value) {
    String[] bounds = range(a, value, "YYYYMMDD");
    try {
      LocalDate from = bounds[0].isEmpty() ? null : date(bounds[0]);
      LocalDate to = bounds[1].isEmpty() ? null : date(bounds[1]);
      if (from != null && to != null && from.isAfter(to)) throw invalid(a, value, "is a range that ends before it starts");
      return new Criterion.DateRange(a, from, to);
    } catch (DateTimeException | NumberFormatException e) {
      throw invalid(a, value, "is not a date or date range (YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD-, -YYYYMMDD)");
    }
  }

  private static Criterion timeRange(QueryAttribute a, String value) {
    String[] bounds = range(a, value, "HHMMSS");
    try {
      LocalTime from = bounds[0].isEmpty() ? null : time(bounds[0], false);
      LocalTime to = bounds[1].isEmpty() ? null : time(bounds[1], true);
      return new Criterion.TimeRange(a, from, to);
    } catch (DateTimeException | NumberFormatException e) {
      throw invalid(a, value, "is not a time or time range (HHMMSS[.FFFFFF], HHMMSS-HHMMSS, open ranges)");
    }
  }

  /** A single value v is the range v-v; "-" alone is not a range. */
  private static String[] range(QueryAttribute a, String value, String form) {
    int dash = value.indexOf('-');
    if (dash < 0) return new String[] {value, value};
    if (value.indexOf('-', dash + 1) >= 0 || value.length() == 1) {
      throw invalid(a, value, "is not a valid range (" + form + "-" + form + ")");
    }
    return new String[] {value.substring(0, dash).strip(), value.substring(dash + 1).strip()};
  }

  private static LocalDate date(String s) {
    if (s.length() != 8 || !s.chars().allMatch(Character::isDigit)) throw new DateTimeException(s);
    return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
        Integer.parseInt(s.substring(6, 8)));
  }

  /** Partial times widen to the whole hour or minute at an upper bound (C.2.2.2.5.1). */
  private static LocalTime time(String s, boolean upper) {
    String t = s.replace(":", "");
    int dot = t.indexOf('.');
    String whole = dot >= 0 ? t.substring(0, dot) : t;
    String fraction = dot >= 0 ? t.substring(dot + 1) : "";
    if (whole.isEmpty() || whole.length() > 6 || whole.length() % 2 != 0 || fraction.length() > 6
        || !(whole + fraction).chars().allMatch(Character::isDigit)) {
      throw new DateTimeException(s);
    }
    int hour = Integer.parseInt(whole.substring(0, 2));
    int minute = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : upper ? 59 : 0;
    int second = whole.length() == 6 ? Integer.parseInt(whole.substring(4, 6)) : upper ? 59 : 0;
    int micros = fraction.isEmpty() ? (upper && whole.length() < 6 ? 999_999 : 0)
        : Integer.parseInt((fraction + "000000").substring(0, 6));
    return LocalTime.of(hour, minute, second, micros * 1000);
  }

  static boolean hasWildcard(String value) {
    return value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
  }

  /** Reason before the value, so a 64-character DIMSE Error Comment still says what is wrong. */
  private static InvalidQueryException invalid(QueryAttribute a, String value, String why) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return new InvalidQueryException(a.keyword() + " " + why + ": '" + shown + "'");
  }
}
