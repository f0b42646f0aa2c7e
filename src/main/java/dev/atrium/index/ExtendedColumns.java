package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.query.Criterion;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryLevel;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Where an extended query tag's value is for a query: a row of its value table keyed by the tag
 * and the pk of the study, series or instance of the tag's level (all joined in any query at
 * that level or below). Returned as a scalar subquery by the primary key (tag_key, level_pk),
 * matched through the (tag_key, tag_value) index.
 */
final class ExtendedColumns {
  private ExtendedColumns() {}

  static Field<?> returned(QueryAttribute a) {
    ValueTables t = ValueTables.forVr(a.vr());
    return DSL.field(DSL.select(t.value()).from(t.table()).where(ofRow(t, a)));
  }

  /**
   * The rows of the tag's level whose value matches: an uncorrelated IN subquery, so both
   * databases can start from the value index instead of testing every row of the level.
   */
  static Condition matches(Criterion criterion) {
    QueryAttribute a = criterion.attribute();
    ValueTables t = ValueTables.forVr(a.vr());
    return levelPk(a.level()).in(DSL.select(t.levelPk()).from(t.table()).where(t.tagKey().eq(a.extension().key()))
        .and(IndexConditions.on(t.matched(), criterion)));
  }

  private static Condition ofRow(ValueTables t, QueryAttribute a) {
    return t.tagKey().eq(a.extension().key()).and(t.levelPk().eq(levelPk(a.level())));
  }

  private static Field<Long> levelPk(QueryLevel level) {
    return switch (level) {
      case PATIENT, STUDY -> STUDY.PK;
      case SERIES -> SERIES.PK;
      case INSTANCE -> INSTANCE.PK;
    };
  }
}
