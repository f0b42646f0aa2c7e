package dev.atrium.index;

import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.query.Criterion;
import dev.atrium.query.PersonNameKey;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** One SQL condition per criterion; values are always bound parameters, never SQL text. */
final class IndexConditions {
  private static final char ESCAPE = '!';
  private static final int MODALITIES_IN_STUDY = 0x00080061;

  private IndexConditions() {}

  static Condition of(Criterion criterion) {
    if (criterion.attribute().extended()) return ExtendedColumns.matches(criterion);
    if (criterion.attribute().tag() == MODALITIES_IN_STUDY) {
      // A study matches when any of its series has the modality (PS3.4 C.6.2.1.2).
      var series = SERIES.as("ms");
      return DSL.exists(DSL.selectOne().from(series)
          .where(series.STUDY_PK.eq(STUDY.PK)).and(on(series.MODALITY, criterion)));
    }
    return on(IndexColumns.of(criterion.attribute()).matched(), criterion);
  }

  @SuppressWarnings("unchecked")
  static Condition on(Field<?> column, Criterion criterion) {
    boolean personName = criterion.attribute().vr().equals("PN");
    Field<String> text = (Field<String>) column;
    if (personName && criterion instanceof Criterion.Exact exact && !exact.value().contains("=")) {
      return componentGroup(text, escapeLike(upper(exact.value())), exact.value());
    } else if (personName && criterion instanceof Criterion.Wildcard wildcard && !wildcard.pattern().contains("=")) {
      return componentGroup(text, likePattern(upper(wildcard.pattern())), wildcard.pattern());
    } else if (criterion instanceof Criterion.Exact exact) {
      return text.eq(personName ? upper(exact.value()) : exact.value());
    } else if (criterion instanceof Criterion.Wildcard wildcard) {
      return text.like(likePattern(personName ? upper(wildcard.pattern()) : wildcard.pattern()), ESCAPE);
    } else if (criterion instanceof Criterion.UidList list) {
      return text.in(list.uids());
    } else if (criterion instanceof Criterion.AnyOf any) {
      return text.in(any.values());
    } else if (criterion instanceof Criterion.DateRange range) {
      return range(column, range.from(), range.to());
    } else if (criterion instanceof Criterion.TimeRange range) {
      return range(column, range.from(), range.to());
    } else if (criterion instanceof Criterion.DateTimeRange range) {
      return range(column, range.from(), range.to());
    } else if (criterion instanceof Criterion.NumberRange range) {
      return range(column, range.from(), range.to());
    } else if (criterion instanceof Criterion.Number number) {
      return ((Field<Integer>) column).eq(number.value());
    } else if (criterion instanceof Criterion.FuzzyName fuzzy) {
      return fuzzyName(text, fuzzy.words());
    }
    throw new IllegalArgumentException("unknown criterion " + criterion);
  }

  /**
   * from ≤ column ≤ to, a null bound open; the bounds bound as the column's type (a BigDecimal
   * bound of a BIGINT or DOUBLE column too).
   */
  @SuppressWarnings("unchecked")
  private static Condition range(Field<?> column, Object from, Object to) {
    Field<Object> field = (Field<Object>) column;
    return DSL.and(from == null ? DSL.noCondition() : field.ge(DSL.val(from, field.getDataType())),
        to == null ? DSL.noCondition() : field.le(DSL.val(to, field.getDataType())));
  }

  /** Each word must start some name component or word (the Azure DICOM service's fuzzy matching). */
  private static Condition fuzzyName(Field<String> norm, List<String> words) {
    Condition all = DSL.noCondition();
    for (String word : words) {
      String w = escapeLike(word);
      all = all.and(DSL.or(norm.like(w + "%", ESCAPE), norm.like("%^" + w + "%", ESCAPE),
          norm.like("% " + w + "%", ESCAPE), norm.like("%=" + w + "%", ESCAPE)));
    }
    return all;
  }

  /**
   * A person name query of one component group (no "=") against a name stored with up to three (alphabetic =
   * ideographic = phonetic, PS3.5 6.2.1): it matches the alphabetic group, through conditions an index on the
   * name can serve; a query with letters outside ASCII (kanji, hangul, kana…) may also match the ideographic or
   * phonetic group, by a scan. PS3.4 C.2.2.2.1 leaves multi-group matching to the implementation; without this, a
   * name stored as "Yamada^Tarou=山田^太郎" was found by neither "Yamada^Tarou" nor "山田*".
   */
  private static Condition componentGroup(Field<String> name, String pattern, String query) {
    // The first condition alone gives an index range (H2 scans the whole index for an OR of the other two).
    Condition group = name.like(pattern + "%", ESCAPE)
        .and(name.like(pattern, ESCAPE).or(name.like(pattern + "=%", ESCAPE)));
    if (query.chars().allMatch(c -> c < 0x80)) return group;
    return group.or(name.like("%=" + pattern, ESCAPE)).or(name.like("%=" + pattern + "=%", ESCAPE));
  }

  /** DICOM "*" and "?" to SQL "%" and "_", with SQL's own wildcards escaped. */
  static String likePattern(String dicom) {
    StringBuilder like = new StringBuilder();
    for (char c : dicom.toCharArray()) {
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        default -> like.append(escapeLike(String.valueOf(c)));
      }
    }
    return like.toString();
  }

  private static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** A person name as it is matched: {@link PersonNameKey}. */
  private static String upper(String s) {
    return PersonNameKey.of(s);
  }
}
