package dev.atrium.query;

import dev.atrium.dicom.DicomUid;
import java.time.DateTimeException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

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
      case "DT" -> dateTimeRange(a, value);
      case "IS" -> a.extended() ? numberRange(a, value, true) : number(a, value);
      case "SL", "SS", "UL", "US" -> numberRange(a, value, true);
      case "DS", "FD", "FL" -> numberRange(a, value, false);
      case "PN" -> personName(a, value, fuzzy);
      case "CS" -> value.contains("\\") ? new Criterion.AnyOf(a, List.of(value.split("\\\\")))
          : text(a, value);
      default -> text(a, value);
    };
  }

  private static Criterion text(QueryAttribute a, String value) {
    return hasWildcard(value) ? new Criterion.Wildcard(a, value) : new Criterion.Exact(a, value);
  }

  /**
   * Fuzzy matching takes each word as the start of a name component; a "*" ending a word says the same ("jo*"), so it
   * stays fuzzy. Other wildcards ("*oe", "J?HN") ask for the usual wildcard match.
   */
  private static Criterion personName(QueryAttribute a, String value, boolean fuzzy) {
    String words = value.replaceAll("\\*+(?=[\\s^=,]|$)", "");
    if (fuzzy && !hasWildcard(words)) {
      return new Criterion.FuzzyName(a, Arrays.stream(PersonNameKey.of(words).split("[\\s^=,]+"))
          .filter(w -> !w.isEmpty()).toList());
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
      LocalDate from = bounds[0].isEmpty() ? null : TemporalValues.date(bounds[0]);
      LocalDate to = bounds[1].isEmpty() ? null : TemporalValues.date(bounds[1]);
      if (from != null && to != null && from.isAfter(to)) throw invalid(a, value, "is a range that ends before it starts");
      return new Criterion.DateRange(a, from, to);
    } catch (DateTimeException | NumberFormatException e) {
      throw invalid(a, value, "is not a date or date range (YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD-, -YYYYMMDD)");
    }
  }

  private static Criterion timeRange(QueryAttribute a, String value) {
    String[] bounds = range(a, value, "HHMMSS");
    try {
      LocalTime from = bounds[0].isEmpty() ? null : TemporalValues.time(bounds[0], false);
      LocalTime to = bounds[1].isEmpty() ? null : TemporalValues.time(bounds[1], true);
      return new Criterion.TimeRange(a, from, to);
    } catch (DateTimeException | NumberFormatException e) {
      throw invalid(a, value, "is not a time or time range (HHMMSS[.FFFFFF], HHMMSS-HHMMSS, open ranges)");
    }
  }

  /** DT (extended query tags): partial values widen to their whole span; no UTC offsets. */
  private static Criterion dateTimeRange(QueryAttribute a, String value) {
    String[] bounds = range(a, value, "YYYYMMDDHHMMSS");
    try {
      LocalDateTime from = bounds[0].isEmpty() ? null : TemporalValues.dateTime(bounds[0], false);
      LocalDateTime to = bounds[1].isEmpty() ? null : TemporalValues.dateTime(bounds[1], true);
      if (from != null && to != null && from.isAfter(to)) throw invalid(a, value, "is a range that ends before it starts");
      return new Criterion.DateTimeRange(a, from, to);
    } catch (DateTimeException | NumberFormatException e) {
      throw invalid(a, value, "is not a date-time or range (YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]], a-b, a-, -b; "
          + "no UTC offset)");
    }
  }

  /**
   * Numbers of extended query tags: a value, or a range "a-b" or "a-" (PS3.4 defines ranges for
   * dates and times only; the archive extends them to numbers). "-5" is the number -5.
   */
  private static Criterion numberRange(QueryAttribute a, String value, boolean integer) {
    String kind = integer ? "an integer" : "a number";
    BigDecimal single = decimal(value);
    BigDecimal from = single;
    BigDecimal to = single;
    if (single == null) {
      int dash = rangeDash(value);
      if (dash < 0) throw invalid(a, value, "is not " + kind + " or a range of them (a-b, a-)");
      String left = value.substring(0, dash).strip();
      String right = value.substring(dash + 1).strip();
      from = decimal(left);
      to = right.isEmpty() ? null : decimal(right);
      if (from == null || (to == null && !right.isEmpty())) {
        throw invalid(a, value, "is not " + kind + " or a range of them (a-b, a-)");
      }
      if (to != null && from.compareTo(to) > 0) throw invalid(a, value, "is a range that ends before it starts");
    }
    for (BigDecimal bound : new BigDecimal[] {from, to}) {
      if (integer && bound != null && bound.stripTrailingZeros().scale() > 0) throw invalid(a, value, "is not " + kind);
    }
    return new Criterion.NumberRange(a, from, to);
  }

  /** The dash between two numbers: after a digit or a point (so not a sign or an exponent's). */
  private static int rangeDash(String value) {
    for (int i = 1; i < value.length(); i++) {
      char before = value.charAt(i - 1);
      if (value.charAt(i) == '-' && (Character.isDigit(before) || before == '.' || before == ' ')) return i;
    }
    return -1;
  }

  private static BigDecimal decimal(String s) {
    try {
      return s.isEmpty() ? null : new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
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

  static boolean hasWildcard(String value) {
    return value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
  }

  /** Reason before the value, so a 64-character DIMSE Error Comment still says what is wrong. */
  private static InvalidQueryException invalid(QueryAttribute a, String value, String why) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return new InvalidQueryException(a.keyword() + " " + why + ": '" + shown + "'");
  }
}
