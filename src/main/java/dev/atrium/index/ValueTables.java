package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXT_VALUE_DATE;
import static dev.atrium.index.schema.Tables.EXT_VALUE_DATETIME;
import static dev.atrium.index.schema.Tables.EXT_VALUE_DOUBLE;
import static dev.atrium.index.schema.Tables.EXT_VALUE_LONG;
import static dev.atrium.index.schema.Tables.EXT_VALUE_PERSON_NAME;
import static dev.atrium.index.schema.Tables.EXT_VALUE_STRING;
import static dev.atrium.index.schema.Tables.EXT_VALUE_TIME;

import java.util.List;
import org.jooq.Field;
import org.jooq.Table;

/**
 * The value tables of extended query tags, one per kind of value; every one has the same key
 * columns (V3__extended_query_tags.sql), so one descriptor serves them all.
 */
record ValueTables(Table<?> table, Field<Integer> tagKey, Field<Long> levelPk, Field<Long> studyPk,
    Field<Long> seriesPk, Field<Long> instancePk, Field<Long> sourcePk, Field<Object> value, Field<String> norm) {

  static final List<ValueTables> ALL = List.of(of(EXT_VALUE_STRING), of(EXT_VALUE_LONG), of(EXT_VALUE_DOUBLE),
      of(EXT_VALUE_DATE), of(EXT_VALUE_DATETIME), of(EXT_VALUE_TIME), of(EXT_VALUE_PERSON_NAME));

  @SuppressWarnings("unchecked")
  private static ValueTables of(Table<?> t) {
    return new ValueTables(t, t.field("tag_key", Integer.class), t.field("level_pk", Long.class),
        t.field("study_pk", Long.class), t.field("series_pk", Long.class), t.field("instance_pk", Long.class),
        t.field("source_pk", Long.class), (Field<Object>) t.field("tag_value"), t.field("tag_value_norm", String.class));
  }

  /** The table of a VR (one of those the API accepts). */
  static ValueTables forVr(String vr) {
    Table<?> table = switch (vr) {
      case "IS", "SL", "SS", "UL", "US" -> EXT_VALUE_LONG;
      case "DS", "FD", "FL" -> EXT_VALUE_DOUBLE;
      case "DA" -> EXT_VALUE_DATE;
      case "DT" -> EXT_VALUE_DATETIME;
      case "TM" -> EXT_VALUE_TIME;
      case "PN" -> EXT_VALUE_PERSON_NAME;
      default -> EXT_VALUE_STRING;
    };
    return ALL.stream().filter(t -> t.table() == table).findFirst().orElseThrow();
  }

  /** Where matching looks: the upper-cased copy for person names, else the value itself. */
  Field<?> matched() {
    return norm != null ? norm : value;
  }
}
