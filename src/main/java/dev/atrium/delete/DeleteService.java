package dev.atrium.delete;

import dev.atrium.dicom.DicomUid;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.store.BlobReclaimer;

/**
 * Deletes studies, series and instances: the index changes commit first (a deleted instance is
 * never served again), then the reclaimer removes the files.
 */
public final class DeleteService {
  private final InstanceDeletion deletion;
  private final GroupCommit writer;
  private final BlobReclaimer reclaimer;

  /**
   * Deletes run on the stores' index writer, so a delete never interleaves with a store, and are journaled like
   * stores where the index needs it.
   */
  public DeleteService(InstanceDeletion deletion, GroupCommit writer, BlobReclaimer reclaimer) {
    this.deletion = deletion;
    this.writer = writer;
    this.reclaimer = reclaimer;
  }

  /** What a delete removed: how many instances (0: nothing matched), of which patient (null when none). */
  public record Deleted(int instances, String patientId, String patientName) {}

  /** Deletes what the UIDs name; they are validated before they reach the index. */
  public Deleted delete(String partition, String studyUid, String seriesUid, String sopUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    if (sopUid != null) DicomUid.require(sopUid, "SOPInstanceUID");
    InstanceDeletion.Deleted deleted = writer.exclusive(() -> deletion.delete(partition, studyUid, seriesUid, sopUid),
        done -> IndexJournal.Deletion.of(done, partition, studyUid, seriesUid, sopUid));
    if (deleted.instances() > 0) reclaimer.reclaimSoon();
    return new Deleted(deleted.instances(), deleted.patientId(), deleted.patientName());
  }
}
