package dev.atrium.delete;

import dev.atrium.dicom.DicomUid;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.store.BlobReclaimer;

/**
 * Deletes studies, series and instances: the index changes commit first (a deleted instance is
 * never served again), then the reclaimer removes the files.
 */
public final class DeleteService {
  private final InstanceDeletion deletion;
  private final BlobReclaimer reclaimer;

  public DeleteService(InstanceDeletion deletion, BlobReclaimer reclaimer) {
    this.deletion = deletion;
    this.reclaimer = reclaimer;
  }

  /** How many instances were deleted; UIDs are validated before they reach the index. */
  public int delete(String partition, String studyUid, String seriesUid, String sopUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    if (sopUid != null) DicomUid.require(sopUid, "SOPInstanceUID");
    int deleted = deletion.delete(partition, studyUid, seriesUid, sopUid);
    if (deleted > 0) reclaimer.reclaimSoon();
    return deleted;
  }
}
