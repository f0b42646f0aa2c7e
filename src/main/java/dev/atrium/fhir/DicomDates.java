package dev.atrium.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/** DICOM DA, TM and Timezone Offset From UTC (PS3.5 6.2) as FHIR date and dateTime values. */
final class DicomDates {
  private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

  private DicomDates() {}

  /** A DA value as a FHIR date; null when absent or not a valid date. */
  static DateType date(String da) {
    LocalDate date = localDate(da);
    return date == null ? null : new DateType(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth());
  }

  /**
   * A DA and TM pair as a FHIR dateTime. FHIR requires a zone with a time: Timezone Offset From
   * UTC (0008,0201) when the instance has it, else this server's zone. Date alone: day precision.
   */
  static DateTimeType dateTime(String da, String tm, String offset) {
    LocalDate date = localDate(da);
    if (date == null) return null;
    LocalTime time = localTime(tm);
    if (time == null) {
      return new DateTimeType(date.toString());
    }
    ZoneId zone = zone(offset);
    ZonedDateTime at = ZonedDateTime.of(date, time, zone);
    DateTimeType value = new DateTimeType(Date.from(at.toInstant()), TemporalPrecisionEnum.SECOND,
        TimeZone.getTimeZone(zone));
    return value;
  }

  private static LocalDate localDate(String da) {
    if (da == null || da.length() != 8) return null;
    try {
      return LocalDate.parse(da, DA);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** HH, HHMM, HHMMSS or HHMMSS.FFFFFF; fractions are dropped (second precision). */
  private static LocalTime localTime(String tm) {
    if (tm == null) return null;
    String t = tm.contains(".") ? tm.substring(0, tm.indexOf('.')) : tm;
    if (!t.matches("\\d{2}(\\d{2}(\\d{2})?)?")) return null;
    int hour = Integer.parseInt(t.substring(0, 2));
    int minute = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
    int second = t.length() >= 6 ? Math.min(59, Integer.parseInt(t.substring(4, 6))) : 0;
    if (hour > 23 || minute > 59) return null;
    return LocalTime.of(hour, minute, second);
  }

  /** "+HHMM" or "-HHMM" (PS3.3 C.12.1.1.8); anything else: this server's zone. */
  private static ZoneId zone(String offset) {
    if (offset != null && offset.matches("[+-]\\d{4}")) {
      try {
        return ZoneOffset.of(offset.substring(0, 3) + ":" + offset.substring(3));
      } catch (java.time.DateTimeException ignored) {
        // fall back below
      }
    }
    return ZoneId.systemDefault();
  }
}
