package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.io.IOException;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Record7;

/** Finds stored instances by their UIDs within a partition. */
public final class InstanceLocator {
  private final Database db;

  public InstanceLocator(Database db) {
    this.db = db;
  }

  public Optional<StoredInstance> find(String partition, String studyUid, String seriesUid, String sopUid) {
    return db.dsl()
        .select(STUDY.STUDY_INSTANCE_UID, SERIES.SERIES_INSTANCE_UID, INSTANCE.SOP_INSTANCE_UID,
            INSTANCE.SOP_CLASS_UID, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE)
        .from(INSTANCE)
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK))
        .join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(INSTANCE.PARTITION_NAME.eq(partition), INSTANCE.SOP_INSTANCE_UID.eq(sopUid),
            SERIES.SERIES_INSTANCE_UID.eq(seriesUid), STUDY.STUDY_INSTANCE_UID.eq(studyUid))
        .fetchOptional(r -> new StoredInstance(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
            r.value6(), r.value7()));
  }

  /**
   * Every instance of a study (or of one of its series), in series and instance order, streamed
   * from a cursor: a study of any size never sits in memory as a list.
   */
  public void forEach(String partition, String studyUid, String seriesUidOrNull, InstanceConsumer consumer)
      throws IOException {
    Condition where = INSTANCE.PARTITION_NAME.eq(partition).and(STUDY.STUDY_INSTANCE_UID.eq(studyUid));
    if (seriesUidOrNull != null) where = where.and(SERIES.SERIES_INSTANCE_UID.eq(seriesUidOrNull));
    try (Cursor<Record7<String, String, String, String, String, String, Long>> cursor = db.dsl()
        .select(STUDY.STUDY_INSTANCE_UID, SERIES.SERIES_INSTANCE_UID, INSTANCE.SOP_INSTANCE_UID,
            INSTANCE.SOP_CLASS_UID, INSTANCE.TRANSFER_SYNTAX_UID, INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE)
        .from(INSTANCE)
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK))
        .join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(where)
        .orderBy(SERIES.SERIES_NUMBER, SERIES.PK, INSTANCE.INSTANCE_NUMBER, INSTANCE.PK)
        .fetchSize(256).fetchLazy()) {
      for (var r : cursor) {
        consumer.accept(new StoredInstance(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
            r.value7()));
      }
    }
  }

  /** Receives located instances; may do I/O. */
  public interface InstanceConsumer {
    void accept(StoredInstance instance) throws IOException;
  }

  /** Transfer syntaxes present among the instances a retrieve would return. */
  public java.util.List<String> transferSyntaxes(String partition, String studyUid, String seriesUidOrNull) {
    Condition where = INSTANCE.PARTITION_NAME.eq(partition).and(STUDY.STUDY_INSTANCE_UID.eq(studyUid));
    if (seriesUidOrNull != null) where = where.and(SERIES.SERIES_INSTANCE_UID.eq(seriesUidOrNull));
    return db.dsl().selectDistinct(INSTANCE.TRANSFER_SYNTAX_UID).from(INSTANCE)
        .join(SERIES).on(SERIES.PK.eq(INSTANCE.SERIES_PK)).join(STUDY).on(STUDY.PK.eq(SERIES.STUDY_PK))
        .where(where).fetch(INSTANCE.TRANSFER_SYNTAX_UID);
  }

  /** Whether any instance row references this blob (crash recovery of in-flight blobs). */
  public boolean referencesBlob(String blobKey) {
    return db.dsl().fetchExists(INSTANCE, INSTANCE.BLOB_KEY.eq(blobKey));
  }
}
