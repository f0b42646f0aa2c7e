package dev.atrium.commitment;

import dev.atrium.dicom.StorageCommitment;
import dev.atrium.dicom.StorageCommitment.Failure;
import dev.atrium.dicom.StorageCommitment.Reference;
import dev.atrium.index.CommitmentIndex;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.InstanceSelection;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage commitment (PS3.4 J): which of the instances a modality names the archive keeps safe. An instance the
 * index holds is committed: it is indexed only once its file is on disk and the index transaction durable (the
 * store path acknowledges nothing earlier), so a commitment is never given for what a crash could take back. A
 * request is recorded, durably, before the modality is told it was taken, and stays until its report is delivered
 * or given up: the report a modality waits for survives a restart of the archive. Nodes sharing the index each report
 * the requests they lease ({@link CommitmentIndex}): a report is sent by one node, and by another if its node is gone.
 */
public final class StorageCommitmentService {
  /** UIDs per index query: a request may name thousands of instances. */
  private static final int BATCH = 500;
  /**
   * How long a node's hold on a request outlives its last renewal. A live node renews all its leases every
   * {@link #RENEW_SECONDS} (and one before each attempt), however long an attempt or the wait before a retry lasts;
   * a node that dies has its reports taken over by another within this plus that node's sweep (10 s).
   */
  public static final int LEASE_SECONDS = 60;
  /** How often a live node renews its leases: several times per lease, so a slow index does not cost one. */
  public static final int RENEW_SECONDS = 10;

  private final RetrieveService retrieve;
  private final CommitmentIndex owed;
  private final GroupCommit writer;
  private final String node;

  /**
   * @param writer makes the record of a request durable before it is acknowledged (an embedded index's sync)
   * @param node this process's name in the leases ({@link dev.atrium.config.NodeName})
   */
  public StorageCommitmentService(RetrieveService retrieve, CommitmentIndex owed, GroupCommit writer, String node) {
    this.retrieve = retrieve;
    this.owed = owed;
    this.writer = writer;
    this.node = node;
  }

  /**
   * Records a request taken from {@code callingAe}, durably, leased to this node; the id it returns names it to
   * {@link #stillOurs} and {@link #reported}.
   */
  public long take(String callingAe, String partition, StorageCommitment.Request request) {
    return writer.exclusive(() -> owed.add(callingAe, partition, request, node, LEASE_SECONDS));
  }

  /** Before an attempt: renews this node's lease; false when another node took the request over (or it is gone). */
  public boolean stillOurs(long id) {
    return owed.renew(id, node, LEASE_SECONDS);
  }

  /** The heartbeat: every request this node holds stays its own for another lease. */
  public void renewHeld() {
    owed.renewAll(node, LEASE_SECONDS);
  }

  /**
   * The requests whose reports no node is making (a stop or crash interrupted them, here or on another node), now
   * this node's to report, oldest first.
   */
  public List<CommitmentIndex.Owed> takeUnheld() {
    return owed.takeUnheld(node, LEASE_SECONDS);
  }

  /** At a clean stop: the reports this node still owes are another node's, or the next start's, at once. */
  public void release() {
    owed.release(node);
  }

  /**
   * At the start of an embedded index, which one process uses at a time: every lease in it is a past run's, whose
   * requests this run takes at once rather than when the lease ends.
   */
  public void forgetPastRuns() {
    owed.releaseAll();
  }

  /** The request's report was delivered, or given up: it is no longer owed. */
  public void reported(long id) {
    owed.remove(id);
  }

  /** The instances committed and those not, each with its Failure Reason, in the request's order. */
  public record Outcome(List<Reference> committed, List<Failure> failed) {}

  public Outcome check(String partition, List<Reference> references) {
    Map<String, String> storedClasses = new HashMap<>();
    for (int from = 0; from < references.size(); from += BATCH) {
      List<String> uids = references.subList(from, Math.min(references.size(), from + BATCH)).stream()
          .map(Reference::sopInstanceUid).distinct().toList();
      InstanceSelection byUid = new InstanceSelection(null, List.of(), List.of(), uids);
      for (StoredInstance stored : retrieve.select(partition, byUid)) {
        storedClasses.put(stored.sopInstanceUid(), stored.sopClassUid());
      }
    }
    List<Reference> committed = new ArrayList<>();
    List<Failure> failed = new ArrayList<>();
    for (Reference reference : references) {
      String storedClass = storedClasses.get(reference.sopInstanceUid());
      if (storedClass == null) failed.add(new Failure(reference, StorageCommitment.NO_SUCH_OBJECT_INSTANCE));
      else if (!storedClass.equals(reference.sopClassUid())) {
        failed.add(new Failure(reference, StorageCommitment.CLASS_INSTANCE_CONFLICT));
      } else committed.add(reference);
    }
    return new Outcome(committed, failed);
  }
}
