package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.query.QueryAttribute;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.jooq.Field;

/**
 * Where each catalog attribute lives in the index: the column returned and the column matched
 * (for person names, the upper-cased copy that makes matching case-insensitive).
 */
final class IndexColumns {
  record Column(Field<?> returned, Field<?> matched) {
    Column(Field<?> both) {
      this(both, both);
    }
  }

  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private static final Map<Integer, Column> COLUMNS = Map.ofEntries(
      Map.entry(0x00100010, new Column(PATIENT.PATIENT_NAME, PATIENT.PATIENT_NAME_NORM)),
      Map.entry(0x00100020, new Column(PATIENT.PATIENT_ID)),
      Map.entry(0x00100021, new Column(PATIENT.ISSUER_OF_PATIENT_ID)),
      Map.entry(0x00100030, new Column(PATIENT.PATIENT_BIRTH_DATE)),
      Map.entry(0x00100040, new Column(PATIENT.PATIENT_SEX)),
      Map.entry(0x00201200, new Column(QueryIndex.patientStudyCount())),
      Map.entry(0x00201202, new Column(QueryIndex.patientTotal(STUDY.NUMBER_OF_SERIES))),
      Map.entry(0x00201204, new Column(QueryIndex.patientTotal(STUDY.NUMBER_OF_INSTANCES))),
      Map.entry(0x00080020, new Column(STUDY.STUDY_DATE)),
      Map.entry(0x00080030, new Column(STUDY.STUDY_TIME)),
      Map.entry(0x00080050, new Column(STUDY.ACCESSION_NUMBER)),
      Map.entry(0x00080061, new Column(STUDY.MODALITIES_IN_STUDY, SERIES.MODALITY)),
      Map.entry(0x00080090, new Column(STUDY.REFERRING_PHYSICIAN_NAME, STUDY.REFERRING_PHYSICIAN_NORM)),
      Map.entry(0x00081030, new Column(STUDY.STUDY_DESCRIPTION)),
      Map.entry(0x0020000D, new Column(STUDY.STUDY_INSTANCE_UID)),
      Map.entry(0x00200010, new Column(STUDY.STUDY_ID)),
      Map.entry(0x00201206, new Column(STUDY.NUMBER_OF_SERIES)),
      Map.entry(0x00201208, new Column(STUDY.NUMBER_OF_INSTANCES)),
      Map.entry(0x00080060, new Column(SERIES.MODALITY)),
      Map.entry(0x0008103E, new Column(SERIES.SERIES_DESCRIPTION)),
      Map.entry(0x00180015, new Column(SERIES.BODY_PART_EXAMINED)),
      Map.entry(0x0020000E, new Column(SERIES.SERIES_INSTANCE_UID)),
      Map.entry(0x00200011, new Column(SERIES.SERIES_NUMBER)),
      Map.entry(0x00400244, new Column(SERIES.PPS_START_DATE)),
      Map.entry(0x00400245, new Column(SERIES.PPS_START_TIME)),
      Map.entry(0x00201209, new Column(SERIES.NUMBER_OF_INSTANCES)),
      Map.entry(0x00080016, new Column(INSTANCE.SOP_CLASS_UID)),
      Map.entry(0x00080018, new Column(INSTANCE.SOP_INSTANCE_UID)),
      Map.entry(0x00200013, new Column(INSTANCE.INSTANCE_NUMBER)),
      Map.entry(0x00280010, new Column(INSTANCE.PIXEL_ROWS)),
      Map.entry(0x00280011, new Column(INSTANCE.PIXEL_COLUMNS)),
      Map.entry(0x00280100, new Column(INSTANCE.BITS_ALLOCATED)),
      Map.entry(0x00280008, new Column(INSTANCE.NUMBER_OF_FRAMES)));

  private IndexColumns() {}

  static Column of(QueryAttribute attribute) {
    Column column = COLUMNS.get(attribute.tag());
    if (column == null) throw new IllegalStateException("no index column for " + attribute.keyword());
    return column;
  }

  /** A column value as a DICOM string (PS3.5 6.2); absent values are empty. */
  static String format(Object value) {
    if (value == null) return "";
    if (value instanceof LocalDate date) return DA.format(date);
    if (value instanceof LocalTime time) return time(time);
    if (value instanceof LocalDateTime dateTime) return DA.format(dateTime) + time(dateTime.toLocalTime());
    if (value instanceof Double number) return decimal(number);
    return value.toString();
  }

  private static String time(LocalTime time) {
    int micros = time.getNano() / 1000;
    return TM.format(time) + (micros == 0 ? "" : String.format(".%06d", micros));
  }

  /** DS, FD and FL values: integral ones without ".0", others in Java's shortest round-trip form. */
  private static String decimal(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return Double.toString(d);
  }
}
