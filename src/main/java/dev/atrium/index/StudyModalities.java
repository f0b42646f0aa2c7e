package dev.atrium.index;

import static dev.atrium.index.schema.Tables.SERIES;

import java.util.List;
import org.jooq.DSLContext;

/** Modalities in Study, a computed study attribute kept at write time (PS3.18 10.6.3.3.1), from its series. */
final class StudyModalities {
  private static final int MAX_LENGTH = 256;

  private StudyModalities() {}

  /** The distinct modalities of the study's series, backslash-separated; null when none (or too many to keep). */
  static String of(DSLContext dsl, long studyPk) {
    List<String> modalities = dsl.selectDistinct(SERIES.MODALITY).from(SERIES)
        .where(SERIES.STUDY_PK.eq(studyPk), SERIES.MODALITY.isNotNull()).orderBy(SERIES.MODALITY)
        .fetch(SERIES.MODALITY);
    String joined = String.join("\\", modalities);
    return joined.isEmpty() || joined.length() > MAX_LENGTH ? null : joined;
  }
}
