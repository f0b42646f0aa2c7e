package dev.atrium.query;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

/** A parsed, validated match key (PS3.4 C.2.2.2): what the index turns into one condition. */
public sealed interface Criterion {
  QueryAttribute attribute();

  /** Single value matching; for PN case-insensitive. */
  record Exact(QueryAttribute attribute, String value) implements Criterion {}

  /** "*" and "?" wildcards; for PN case-insensitive. */
  record Wildcard(QueryAttribute attribute, String pattern) implements Criterion {}

  /** List of UID matching (C.2.2.2.2), also a single UID. */
  record UidList(QueryAttribute attribute, List<String> uids) implements Criterion {}

  /** Several values, any of which matches (CS multi-value, e.g. ModalitiesInStudy=CT\MR). */
  record AnyOf(QueryAttribute attribute, List<String> values) implements Criterion {}

  /** DA range; null bound = open (C.2.2.2.5). A single date is a range with equal bounds. */
  record DateRange(QueryAttribute attribute, LocalDate from, LocalDate to) implements Criterion {}

  /** TM range; null bound = open. */
  record TimeRange(QueryAttribute attribute, LocalTime from, LocalTime to) implements Criterion {}

  /** DT range; null bound = open. Bounds widen partial values (a year is the whole year). */
  record DateTimeRange(QueryAttribute attribute, LocalDateTime from, LocalDateTime to) implements Criterion {}

  /**
   * Numeric single value or range of an extended query tag (IS, SL, SS, UL, US, DS, FD, FL);
   * null bound = open. A single value is a range with equal bounds.
   */
  record NumberRange(QueryAttribute attribute, BigDecimal from, BigDecimal to) implements Criterion {}

  /** IS single value. */
  record Number(QueryAttribute attribute, int value) implements Criterion {}

  /** Fuzzy person-name matching: each word is a prefix of some name component, case-insensitive. */
  record FuzzyName(QueryAttribute attribute, List<String> words) implements Criterion {}
}
