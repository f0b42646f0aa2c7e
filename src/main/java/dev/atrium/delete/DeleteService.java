package dev.atrium.delete;

import dev.atrium.dicom.DicomUid;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.store.BlobReclaimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Deletes studies, series and instances: the index changes commit first (a deleted instance is
 * never served again), then the reclaimer removes the files.
 */
public final class DeleteService {
  private final InstanceDeletion deletion;
  private final GroupCommit writer;
  private final BlobReclaimer reclaimer;
  private final IndexJournal journal;

  /**
   * Deletes run on the stores' index writer, so a delete never interleaves with a store, and are journaled like
   * stores ({@code journal} null where the index needs none).
   */
  public DeleteService(InstanceDeletion deletion, GroupCommit writer, BlobReclaimer reclaimer, IndexJournal journal) {
    this.deletion = deletion;
    this.writer = writer;
    this.reclaimer = reclaimer;
    this.journal = journal;
  }

  /** How many instances were deleted; UIDs are validated before they reach the index. */
  public int delete(String partition, String studyUid, String seriesUid, String sopUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    if (sopUid != null) DicomUid.require(sopUid, "SOPInstanceUID");
    InstanceDeletion.Deleted deleted = writer.exclusive(() -> {
      InstanceDeletion.Deleted done = deletion.delete(partition, studyUid, seriesUid, sopUid);
      if (done.instances() > 0 && journal != null) {
        try { // synced by the writer with the index, before the delete is answered
          journal.append(List.of(new IndexJournal.Deletion(done.lastSequence(), partition, studyUid, seriesUid,
              sopUid)));
        } catch (IOException e) {
          throw new UncheckedIOException("the index journal could not record the delete", e);
        }
      }
      return done;
    });
    if (deleted.instances() > 0) reclaimer.reclaimSoon();
    return deleted.instances();
  }
}
