package dev.atrium.index;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import java.util.Optional;

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

  /** Whether any instance row references this blob (crash recovery of in-flight blobs). */
  public boolean referencesBlob(String blobKey) {
    return db.dsl().fetchExists(INSTANCE, INSTANCE.BLOB_KEY.eq(blobKey));
  }
}
