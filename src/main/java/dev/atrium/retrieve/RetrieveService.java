package dev.atrium.retrieve;

import dev.atrium.dicom.DicomUid;
import dev.atrium.index.InstanceLocator;
import dev.atrium.index.StoredInstance;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The one retrieve path: locate instances through the index, stream their bytes from the store.
 * Protocol adapters (WADO-RS now; WADO-URI, C-MOVE, C-GET later) all come through here.
 */
public final class RetrieveService {
  private final InstanceLocator locator;
  private final BlobStore blobs;

  public RetrieveService(InstanceLocator locator, BlobStore blobs) {
    this.locator = locator;
    this.blobs = blobs;
  }

  /** Throws {@link DicomUid.InvalidUidException} for a malformed UID: it never reaches SQL. */
  public Optional<StoredInstance> findInstance(String partition, String studyUid, String seriesUid, String sopUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    DicomUid.require(seriesUid, "SeriesInstanceUID");
    DicomUid.require(sopUid, "SOPInstanceUID");
    return locator.find(partition, studyUid, seriesUid, sopUid);
  }

  /** The stored PS3.10 bytes, unchanged. */
  public InputStream open(StoredInstance instance) throws IOException {
    return blobs.open(instance.blobKey());
  }
}
