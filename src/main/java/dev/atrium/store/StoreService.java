package dev.atrium.store;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.DicomUid;
import dev.atrium.dicom.Part10Writer;
import dev.atrium.index.IndexOutcome;
import dev.atrium.index.InstanceIndex;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.BlobWriter;
import dev.atrium.store.StoreOutcome.Status;
import dev.atrium.store.StoreOutcome.Uids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way an instance enters Atrium, for DIMSE and DICOMweb alike:
 * stream to a staging blob → parse the header → validate → publish durably → one index
 * transaction → only then report success. Any failure before the commit leaves nothing behind.
 */
public final class StoreService {
  private static final Logger log = LoggerFactory.getLogger(StoreService.class);
  private static final int COPY_BUFFER = 64 * 1024;

  private final BlobStore blobs;
  private final InstanceIndex index;
  private final BlobReclaimer reclaimer;

  public StoreService(BlobStore blobs, InstanceIndex index, BlobReclaimer reclaimer) {
    this.blobs = blobs;
    this.index = index;
    this.reclaimer = reclaimer;
  }

  /** A PS3.10 file, as a STOW-RS part carries it. {@code requiredStudyUid} is the study in the URL, or null. */
  public StoreOutcome storeFile(String partition, InputStream part10, String requiredStudyUid, DuplicatePolicy policy)
      throws IncompleteInputException {
    return store(partition, policy, out -> copy(part10, out), header ->
        requiredStudyUid != null && !requiredStudyUid.equals(header.studyInstanceUid())
            ? new Rejection(StoreFailure.STUDY_MISMATCH, "the instance belongs to study "
                + header.studyInstanceUid() + ", not to " + requiredStudyUid + " named in the request URL")
            : null);
  }

  /**
   * A bare data set received by C-STORE in the negotiated transfer syntax; the File Meta
   * Information is made from the request, and the data set bytes follow unchanged.
   */
  public StoreOutcome storeDataSet(String partition, InputStream dataSet, String transferSyntaxUid,
      String affectedSopClassUid, String affectedSopInstanceUid, String callingAeTitle, DuplicatePolicy policy)
      throws IncompleteInputException {
    if (!DicomUid.isValid(affectedSopClassUid) || !DicomUid.isValid(affectedSopInstanceUid)) {
      drain(dataSet);
      return StoreOutcome.failed(StoreFailure.VALIDATION_FAILED,
          "the C-STORE request's Affected SOP Class/Instance UID is not a valid UID",
          new Uids(affectedSopClassUid, affectedSopInstanceUid, null, null));
    }
    return store(partition, policy, out -> {
      Part10Writer.writeHeader(out, affectedSopClassUid, affectedSopInstanceUid, transferSyntaxUid, callingAeTitle);
      copy(dataSet, out);
    }, header -> {
      if (!affectedSopClassUid.equals(header.sopClassUid())) {
        return new Rejection(StoreFailure.DATA_SET_MISMATCH, "the data set's SOP Class UID "
            + header.sopClassUid() + " differs from the request's Affected SOP Class UID " + affectedSopClassUid);
      }
      if (!affectedSopInstanceUid.equals(header.sopInstanceUid())) {
        return new Rejection(StoreFailure.DATA_SET_MISMATCH, "the data set's SOP Instance UID "
            + header.sopInstanceUid() + " differs from the request's Affected SOP Instance UID "
            + affectedSopInstanceUid);
      }
      return null;
    });
  }

  private interface Writing {
    void writeTo(OutputStream out) throws IOException;
  }

  private record Rejection(StoreFailure failure, String message) {}

  /** A rejection when the header contradicts the request, else null. */
  private interface RequestCheck {
    Rejection check(DicomHeader header);
  }

  private StoreOutcome store(String partition, DuplicatePolicy policy, Writing writing, RequestCheck requestCheck)
      throws IncompleteInputException {
    try (BlobWriter blob = blobs.create()) {
      writing.writeTo(blob.output()); // read failures surface as IncompleteInputException
      blob.output().flush();
      DicomHeader header;
      try {
        header = DicomHeaderReader.read(blob::openStaged, blob.size());
      } catch (DicomParseException e) {
        return StoreOutcome.failed(StoreFailure.VALIDATION_FAILED, e.getMessage(), Uids.NONE);
      }
      Uids uids = new Uids(header.sopClassUid(), header.sopInstanceUid(), header.studyInstanceUid(),
          header.seriesInstanceUid());
      String invalid = validate(header);
      if (invalid != null) return StoreOutcome.failed(StoreFailure.VALIDATION_FAILED, invalid, uids);
      Rejection rejection = requestCheck.check(header);
      if (rejection != null) return StoreOutcome.failed(rejection.failure(), rejection.message(), uids);
      return commit(partition, policy, blob, header, uids);
    } catch (IncompleteInputException e) {
      throw e;
    } catch (IOException e) {
      log.error("store: blob store failure", e);
      return StoreOutcome.failed(StoreFailure.OUT_OF_RESOURCES, "the archive could not store the instance: "
          + e.getMessage(), Uids.NONE);
    }
  }

  private StoreOutcome commit(String partition, DuplicatePolicy policy, BlobWriter blob, DicomHeader header, Uids uids)
      throws IOException {
    blob.publish();
    IndexOutcome outcome;
    try {
      outcome = index.store(partition, header, blob.key(), blob.size(),
          policy == DuplicatePolicy.OVERWRITE ? InstanceIndex.OnDuplicate.REPLACE : InstanceIndex.OnDuplicate.KEEP);
    } catch (DataAccessException e) {
      log.error("store: index transaction failed for {}", header.sopInstanceUid(), e);
      return StoreOutcome.failed(StoreFailure.PROCESSING_FAILURE, "the archive's index could not record the instance",
          uids);
    }
    if (outcome instanceof IndexOutcome.Duplicate) return duplicate(policy, uids);
    if (outcome instanceof IndexOutcome.Conflict conflict) {
      return StoreOutcome.failed(StoreFailure.VALIDATION_FAILED, conflict.message(), uids);
    }
    blob.confirm();
    if (outcome instanceof IndexOutcome.Replaced) reclaimer.reclaimSoon();
    return StoreOutcome.of(Status.STORED, uids);
  }

  private static StoreOutcome duplicate(DuplicatePolicy policy, Uids uids) {
    return policy == DuplicatePolicy.REJECT
        ? StoreOutcome.failed(StoreFailure.DUPLICATE, "an instance with SOP Instance UID " + uids.sopInstance()
            + " is already stored", uids)
        : StoreOutcome.of(Status.ALREADY_STORED, uids);
  }

  /** PS3.18 10.5 / PS3.4 B.2: the four identifying UIDs must be present and well formed. */
  private static String validate(DicomHeader h) {
    String[][] required = {
        {"SOP Class UID (0008,0016)", h.sopClassUid()},
        {"SOP Instance UID (0008,0018)", h.sopInstanceUid()},
        {"Study Instance UID (0020,000D)", h.studyInstanceUid()},
        {"Series Instance UID (0020,000E)", h.seriesInstanceUid()},
        {"Transfer Syntax UID (0002,0010)", h.transferSyntaxUid()}};
    for (String[] uid : required) {
      if (uid[1] == null) return "the data set has no " + uid[0];
      if (!DicomUid.isValid(uid[1])) return new DicomUid.InvalidUidException(uid[0], uid[1]).getMessage();
    }
    return null;
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        throw new IncompleteInputException(e);
      }
      if (n < 0) return;
      out.write(buffer, 0, n);
    }
  }

  private static void drain(InputStream in) throws IncompleteInputException {
    try {
      Objects.requireNonNull(in).transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new IncompleteInputException(e);
    }
  }
}
