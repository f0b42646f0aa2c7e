package dev.atrium.query;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;

/**
 * Strict DA, TM and DT values (PS3.5 Table 6.2-1), for match keys and for the values of extended
 * query tags alike. A partial value (a DT year, a TM hour) means its first instant, or with
 * {@code upper} its last one (PS3.4 C.2.2.2.5.1). Anything else throws DateTimeException.
 */
public final class TemporalValues {
  private TemporalValues() {}

  /** DA: YYYYMMDD. */
  public static LocalDate date(String s) {
    if (s.length() != 8 || !digits(s)) throw new DateTimeException(s);
    return LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
        Integer.parseInt(s.substring(6, 8)));
  }

  /** TM: HH[MM[SS[.F{1,6}]]] (the ACR-NEMA HH:MM:SS too). */
  public static LocalTime time(String s, boolean upper) {
    String t = s.replace(":", "");
    int dot = t.indexOf('.');
    String whole = dot >= 0 ? t.substring(0, dot) : t;
    String fraction = dot >= 0 ? t.substring(dot + 1) : "";
    if (whole.isEmpty() || whole.length() > 6 || whole.length() % 2 != 0 || fraction.length() > 6
        || !digits(whole + fraction)) {
      throw new DateTimeException(s);
    }
    int hour = Integer.parseInt(whole.substring(0, 2));
    int minute = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : upper ? 59 : 0;
    int second = whole.length() == 6 ? Integer.parseInt(whole.substring(4, 6)) : upper ? 59 : 0;
    int micros = fraction.isEmpty() ? (upper && whole.length() < 6 ? 999_999 : 0)
        : Integer.parseInt((fraction + "000000").substring(0, 6));
    return LocalTime.of(hour, minute, second, micros * 1000);
  }

  /**
   * DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]], without the UTC offset (the index keeps the local
   * date and time as written; {@link #withoutOffset} removes a stored value's offset first).
   */
  public static LocalDateTime dateTime(String s, boolean upper) {
    int dot = s.indexOf('.');
    String whole = dot >= 0 ? s.substring(0, dot) : s;
    if (whole.length() < 4 || whole.length() > 14 || whole.length() % 2 != 0 || (dot >= 0 && whole.length() != 14)
        || !digits(whole)) {
      throw new DateTimeException(s);
    }
    int year = Integer.parseInt(whole.substring(0, 4));
    int month = whole.length() >= 6 ? Integer.parseInt(whole.substring(4, 6)) : upper ? 12 : 1;
    int day = whole.length() >= 8 ? Integer.parseInt(whole.substring(6, 8))
        : upper ? YearMonth.of(year, month).lengthOfMonth() : 1;
    LocalTime time = whole.length() > 8 ? time(s.substring(8), upper)
        : upper ? LocalTime.of(23, 59, 59, 999_999_000) : LocalTime.MIDNIGHT;
    return LocalDateTime.of(LocalDate.of(year, month, day), time);
  }

  /** A stored DT without its "&ZZXX" UTC offset suffix, if it has one. */
  public static String withoutOffset(String dt) {
    int sign = Math.max(dt.indexOf('+'), dt.indexOf('-'));
    return sign > 0 && dt.length() - sign == 5 ? dt.substring(0, sign) : dt;
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
