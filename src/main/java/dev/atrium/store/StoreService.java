package dev.atrium.store;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.DicomUid;
import dev.atrium.dicom.FileMetaReader;
import dev.atrium.dicom.Part10Writer;
import dev.atrium.index.BlobsNotDurableException;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexOutcome;
import dev.atrium.index.InstanceIndex;
import dev.atrium.index.NotDurableException;
import dev.atrium.metrics.Metrics;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.BlobWriter;
import dev.atrium.store.StoreOutcome.Status;
import dev.atrium.store.StoreOutcome.Uids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
  private static final ThreadLocal<byte[]> COPY_BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  private final BlobStore blobs;
  private final GroupCommit index;
  private final BlobReclaimer reclaimer;
  private final long minFreeSpaceBytes;
  final StoreCounts counts;

  /** {@code minFreeSpaceBytes}: below this much free space a store is refused before it writes (0: never). */
  public StoreService(BlobStore blobs, GroupCommit index, BlobReclaimer reclaimer, long minFreeSpaceBytes,
      Metrics metrics) {
    this.counts = new StoreCounts(metrics);
    this.blobs = blobs;
    this.index = index;
    this.reclaimer = reclaimer;
    this.minFreeSpaceBytes = minFreeSpaceBytes;
  }

  /**
   * STOW-RS: parts are staged one by one as they stream in and made durable and indexed in
   * batches, since the response only goes out once every part is done (nothing is acknowledged
   * earlier).
   */
  public StoreBatch openBatch(String partition, String requiredStudyUid, DuplicatePolicy policy) {
    return new StoreBatch(this, partition, requiredStudyUid, policy);
  }

  Prepared prepareFile(InputStream part10, String requiredStudyUid) throws IncompleteInputException {
    return prepare(out -> copy(part10, out), header ->
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
      return counts.count(StoreOutcome.failed(StoreFailure.VALIDATION_FAILED,
          "the C-STORE request's Affected SOP Class/Instance UID is not a valid UID",
          new Uids(affectedSopClassUid, affectedSopInstanceUid, null, null)));
    }
    Prepared prepared = prepare(out -> {
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
    return counts.count(prepared instanceof PendingInstance pending
        ? commitAll(partition, policy, List.of(pending)).get(0) : ((Refused) prepared).outcome());
  }

  private interface Writing {
    void writeTo(OutputStream out) throws IOException;
  }

  private record Rejection(StoreFailure failure, String message) {}

  /** A rejection when the header contradicts the request, else null. */
  private interface RequestCheck {
    Rejection check(DicomHeader header);
  }

  /** What staging one data set gave: an instance ready to publish and index, or a refusal. */
  sealed interface Prepared permits PendingInstance, Refused {}

  /** A data set staged (its fsync under way), parsed and validated; not yet published or indexed. */
  record PendingInstance(BlobWriter blob, DicomHeader header, Uids uids) implements Prepared {}

  /** Refused before anything was kept. */
  record Refused(StoreOutcome outcome) implements Prepared {}

  /** Stage → verify and parse → validate → place beside its study. */
  private Prepared prepare(Writing writing, RequestCheck requestCheck) throws IncompleteInputException {
    BlobWriter blob = null;
    Uids uids = Uids.NONE; // known once the header is read: a failure after that names the instance
    try {
      if (minFreeSpaceBytes > 0 && blobs.usableSpace() < minFreeSpaceBytes) {
        // Read to its end all the same: the next message or part follows it on the connection.
        writing.writeTo(OutputStream.nullOutputStream());
        log.warn("store: refused, the store's disk has less than {} MiB free (store.minFreeSpaceBytes)",
            minFreeSpaceBytes >> 20);
        return refused(StoreFailure.OUT_OF_RESOURCES, "disk full: stores are refused below " + mebibytes()
            + " free", Uids.NONE);
      }
      blob = blobs.create();
      writing.writeTo(blob.output()); // read failures surface as IncompleteInputException
      blob.startSync(); // the data fsync runs while the header is checked
      DicomHeader header;
      try {
        header = DicomHeaderReader.read(blob::openStaged, blob.size());
      } catch (DicomParseException e) {
        return refused(StoreFailure.VALIDATION_FAILED, e.getMessage(), namedByMeta(blob));
      }
      uids = new Uids(header.sopClassUid(), header.sopInstanceUid(), header.studyInstanceUid(),
          header.seriesInstanceUid());
      String invalid = validate(header);
      if (invalid != null) return refused(StoreFailure.VALIDATION_FAILED, invalid, uids);
      Rejection rejection = requestCheck.check(header);
      if (rejection != null) return refused(rejection.failure(), rejection.message(), uids);
      blob.place(BlobPlacement.of(header));
      PendingInstance pending = new PendingInstance(blob, header, uids);
      blob = null; // handed over
      return pending;
    } catch (IncompleteInputException e) {
      throw e;
    } catch (IOException e) {
      log.error("store: blob store failure", e);
      return refused(StoreFailure.OUT_OF_RESOURCES, "cannot store the instance: " + IoFailureText.of(e), uids);
    } finally {
      discard(blob);
    }
  }

  /**
   * One index transaction for all, whose statements run while the blobs are published (data and names made
   * durable) and which commits only once they are; then each blob is kept (confirmed) or discarded. Nothing is
   * reported stored before its commit.
   */
  List<StoreOutcome> commitAll(String partition, DuplicatePolicy policy, List<PendingInstance> pending) {
    InstanceIndex.OnDuplicate onDuplicate =
        policy == DuplicatePolicy.OVERWRITE ? InstanceIndex.OnDuplicate.REPLACE : InstanceIndex.OnDuplicate.KEEP;
    List<InstanceIndex.Entry> entries = pending.stream()
        .map(p -> new InstanceIndex.Entry(partition, p.header(), p.blob().key(), p.blob().size(),
            p.blob().checksum(), onDuplicate))
        .toList();
    CompletableFuture<Void> published = new CompletableFuture<>();
    CompletableFuture<List<IndexOutcome>> indexed;
    try {
      indexed = index.storeWhenDurable(entries, published);
    } catch (DataAccessException e) {
      return indexFailed(pending, e);
    }
    try {
      blobs.publishAll(pending.stream().map(PendingInstance::blob).toList());
      published.complete(null);
    } catch (IOException | RuntimeException e) {
      published.completeExceptionally(e); // the transaction rolls back: no row names these blobs
      indexed.handle((done, failure) -> null).join();
      return notDurable(pending, e);
    }
    writeMetadata(pending); // while the index commits
    List<IndexOutcome> results;
    try {
      results = GroupCommit.await(indexed);
    } catch (NotDurableException e) {
      // The rows are committed and name these blobs: they stay, with their staging entries, so that recovery
      // keeps them if the commit survives and removes them if it does not. The client hears of a failure.
      log.error("store: {} instance(s) indexed but not durable", pending.size(), e);
      return pending.stream().map(p -> StoreOutcome.failed(StoreFailure.OUT_OF_RESOURCES,
          "the archive could not make its index durable: " + IoFailureText.of(e), p.uids())).toList();
    } catch (DataAccessException e) {
      return indexFailed(pending, e);
    } catch (BlobsNotDurableException e) {
      return notDurable(pending, e); // the writer gave up waiting (a disk hung for minutes) and rolled back
    }
    List<StoreOutcome> outcomes = new ArrayList<>(pending.size());
    boolean replaced = false;
    for (int i = 0; i < pending.size(); i++) {
      PendingInstance p = pending.get(i);
      IndexOutcome outcome = results.get(i);
      if (outcome instanceof IndexOutcome.Created || outcome instanceof IndexOutcome.Replaced) {
        try {
          p.blob().confirm();
        } catch (IOException e) {
          log.warn("store: could not clear the staging entry of {} (recovery will)", p.blob().key(), e);
        }
        replaced |= outcome instanceof IndexOutcome.Replaced;
        outcomes.add(StoreOutcome.of(Status.STORED, p.uids(), p.header().invalidValues()));
      } else {
        discard(p.blob());
        outcomes.add(outcome instanceof IndexOutcome.Conflict conflict
            ? StoreOutcome.failed(StoreFailure.VALIDATION_FAILED, conflict.message(), p.uids())
            : duplicate(policy, p.uids()));
      }
    }
    if (replaced) reclaimer.reclaimSoon();
    return outcomes;
  }

  /**
   * Each instance's metadata document beside its blob. Derived data: a reader that finds it missing (not yet
   * written, or lost) builds it again from the instance, so it is neither synced nor waited for by the commit.
   */
  private void writeMetadata(List<PendingInstance> pending) {
    for (PendingInstance p : pending) {
      try {
        blobs.writeMetadata(p.blob().key(), p.header().metadataJson());
      } catch (IOException e) {
        log.warn("store: metadata document of {} not written (rebuilt when read): {}", p.blob().key(), e.toString());
      }
    }
  }

  /** The blobs could not be made durable and their transaction rolled back: they go. */
  private static List<StoreOutcome> notDurable(List<PendingInstance> pending, Exception e) {
    log.error("store: making {} instance(s) durable failed", pending.size(), e);
    pending.forEach(p -> discard(p.blob()));
    return pending.stream().map(p -> StoreOutcome.failed(StoreFailure.OUT_OF_RESOURCES,
        "cannot make the instance durable: " + IoFailureText.of(e), p.uids())).toList();
  }

  /** The index transaction failed: nothing names these blobs, which go. */
  private static List<StoreOutcome> indexFailed(List<PendingInstance> pending, DataAccessException e) {
    log.error("store: index transaction failed for {} instance(s)", pending.size(), e);
    pending.forEach(p -> discard(p.blob()));
    return pending.stream().map(p -> StoreOutcome.failed(StoreFailure.PROCESSING_FAILURE,
        "the archive's index could not record the instance", p.uids())).toList();
  }

  /**
   * The SOP Class and Instance UIDs of a data set that could not be parsed, from its File Meta Information when that
   * much is readable (a file cut short in its data set): so that a STOW-RS response's FailedSOPSequence item names
   * the instance (PS3.18 10.5.3). Only well-formed UIDs; none otherwise.
   */
  private static Uids namedByMeta(BlobWriter blob) {
    try (InputStream staged = blob.openStaged()) {
      FileMetaReader.DataSet meta = FileMetaReader.read(staged);
      return DicomUid.isValid(meta.sopClassUid()) && DicomUid.isValid(meta.sopInstanceUid())
          ? new Uids(meta.sopClassUid(), meta.sopInstanceUid(), null, null) : Uids.NONE;
    } catch (IOException | DicomParseException | RuntimeException e) {
      return Uids.NONE;
    }
  }

  private String mebibytes() {
    return minFreeSpaceBytes >= 1 << 20 ? (minFreeSpaceBytes >> 20) + " MiB" : minFreeSpaceBytes + " bytes";
  }

  private static Refused refused(StoreFailure failure, String message, Uids uids) {
    return new Refused(StoreOutcome.failed(failure, message, uids));
  }

  /** Removes a blob that will not be indexed (unless already confirmed, when this does nothing). */
  static void discard(BlobWriter blob) {
    if (blob == null) return;
    try {
      blob.close();
    } catch (IOException e) {
      log.warn("store: could not remove an unused blob {} (recovery will)", blob.key(), e);
    }
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

  /**
   * Copies in full buffers, so that the blob's own (small) buffer passes them straight to the file. The buffer is
   * the thread's: an association or request thread stores one instance at a time.
   */
  private static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = COPY_BUFFER.get();
    while (true) {
      int n;
      try {
        n = in.readNBytes(buffer, 0, buffer.length);
      } catch (IOException e) {
        throw new IncompleteInputException(e);
      }
      if (n > 0) out.write(buffer, 0, n);
      if (n < buffer.length) return;
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
