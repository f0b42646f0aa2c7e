package dev.atrium.changefeed;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A validated change-feed read, in the Azure DICOM service's two shapes: v1 pages by sequence
 * ("offset" = the last sequence seen), v2 by time window ("offset" = entries to skip in it).
 */
public record ChangeFeedRequest(long afterSequence, LocalDateTime start, LocalDateTime end, int skip, int limit,
    boolean includeMetadata) {

  public static ChangeFeedRequest v1(String offset, String limit, String includeMetadata) {
    return new ChangeFeedRequest(number("offset", offset, 0, 0, Long.MAX_VALUE), null, null, 0,
        (int) number("limit", limit, 10, 1, 100), includeMetadata(includeMetadata));
  }

  public static ChangeFeedRequest v2(String startTime, String endTime, String offset, String limit,
      String includeMetadata) {
    LocalDateTime start = time("startTime", startTime);
    LocalDateTime end = time("endTime", endTime);
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("startTime must be before endTime");
    }
    return new ChangeFeedRequest(0, start, end, (int) number("offset", offset, 0, 0, Integer.MAX_VALUE),
        (int) number("limit", limit, 100, 1, 200), includeMetadata(includeMetadata));
  }

  private static long number(String name, String value, long fallback, long min, long max) {
    if (value == null) return fallback;
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be a number, not '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be between " + min + " and " + max
          + ", not " + n);
    }
    return n;
  }

  /** The includeMetadata parameter: true unless "false", as the Azure DICOM service defaults it. */
  public static boolean includeMetadata(String value) {
    if (value == null || value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException("query parameter 'includeMetadata' must be true or false, not '" + value + "'");
  }

  /** RFC 3339 date-time, kept in UTC like the feed's timestamps. */
  private static LocalDateTime time(String name, String value) {
    if (value == null) return null;
    try {
      return OffsetDateTime.parse(value.strip()).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("query parameter '" + name + "' must be an RFC 3339 date-time such as "
          + "2026-01-31T12:00:00Z, not '" + value + "'");
    }
  }
}
