package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.query.Criterion;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryLevel;
import dev.atrium.query.QueryMatch;
import dev.atrium.query.QuerySink;
import dev.atrium.query.QueryStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectLimitStep;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Turns parsed criteria into one jOOQ query over patient/study/series/instance and streams the
 * rows through a cursor: memory does not grow with the result size.
 */
public final class QueryIndex implements QueryStore {
  private static final int FETCH_SIZE = 256;

  private final Database db;

  public QueryIndex(Database db) {
    this.db = db;
  }

  @Override
  public void stream(String partition, QueryLevel level, List<Criterion> criteria, Set<QueryAttribute> returned,
      int offset, int limit, QuerySink sink) throws IOException {
    List<Field<?>> fields = new ArrayList<>();
    List<QueryAttribute> attributes = new ArrayList<>(returned);
    for (QueryAttribute a : attributes) fields.add(a.extended() ? ExtendedColumns.returned(a) : IndexColumns.of(a).returned());
    fields.add(pk(level));

    Condition where = partitionOf(level, partition);
    for (Criterion criterion : criteria) where = where.and(IndexConditions.of(criterion));
    SelectLimitStep<Record> query = db.dsl().select(fields).from(tables(level)).where(where).orderBy(pk(level));
    var bounded = limit > 0 ? query.limit(limit).offset(offset) : offset > 0 ? query.offset(offset) : query;
    try (Cursor<Record> cursor = bounded.fetchSize(FETCH_SIZE).fetchLazy()) {
      for (Record row : cursor) {
        if (sink.cancelled()) return;
        TreeMap<Integer, String> values = new TreeMap<>();
        for (int i = 0; i < attributes.size(); i++) {
          values.put(attributes.get(i).tag(), IndexColumns.format(row.get(i)));
        }
        sink.accept(new QueryMatch(values));
      }
    }
  }

  private static Table<?> tables(QueryLevel level) {
    Table<?> patientStudy = STUDY.join(PATIENT).on(PATIENT.PK.eq(STUDY.PATIENT_PK));
    return switch (level) {
      case PATIENT -> PATIENT;
      case STUDY -> patientStudy;
      case SERIES -> SERIES.join(patientStudy).on(STUDY.PK.eq(SERIES.STUDY_PK));
      case INSTANCE -> INSTANCE.join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK))
          .join(patientStudy).on(STUDY.PK.eq(SERIES.STUDY_PK));
    };
  }

  private static Field<Long> pk(QueryLevel level) {
    return switch (level) {
      case PATIENT -> PATIENT.PK;
      case STUDY -> STUDY.PK;
      case SERIES -> SERIES.PK;
      case INSTANCE -> INSTANCE.PK;
    };
  }

  /**
   * The partition on every joined table, not only the level's: the rows of one hierarchy share
   * their partition, so this changes no result, but it lets a key of a level above use that
   * table's unique index, whose first column is the partition (PatientID through uk_patient,
   * StudyInstanceUID through uk_study, SeriesInstanceUID through uk_series) instead of a scan.
   */
  private static Condition partitionOf(QueryLevel level, String partition) {
    return switch (level) {
      case PATIENT -> PATIENT.PARTITION_NAME.eq(partition);
      case STUDY -> STUDY.PARTITION_NAME.eq(partition).and(PATIENT.PARTITION_NAME.eq(partition));
      case SERIES -> SERIES.PARTITION_NAME.eq(partition).and(STUDY.PARTITION_NAME.eq(partition))
          .and(PATIENT.PARTITION_NAME.eq(partition));
      case INSTANCE -> INSTANCE.PARTITION_NAME.eq(partition).and(SERIES.PARTITION_NAME.eq(partition))
          .and(STUDY.PARTITION_NAME.eq(partition)).and(PATIENT.PARTITION_NAME.eq(partition));
    };
  }

  static Field<Integer> patientStudyCount() {
    var s2 = STUDY.as("s2");
    return DSL.field(DSL.selectCount().from(s2).where(s2.PATIENT_PK.eq(PATIENT.PK)));
  }

  /** The sum of a study count column over the patient's studies (NumberOfPatientRelatedSeries, -Instances). */
  static Field<Integer> patientTotal(Field<Integer> studyCount) {
    var s2 = STUDY.as("s2");
    return DSL.field(DSL.select(DSL.coalesce(DSL.sum(s2.field(studyCount)), DSL.inline(BigDecimal.ZERO))
        .cast(Integer.class)).from(s2).where(s2.PATIENT_PK.eq(PATIENT.PK)));
  }
}
