package dev.atrium.index;

import static dev.atrium.index.schema.Tables.COMMITMENT_REQUEST;

import dev.atrium.dicom.StorageCommitment;
import dev.atrium.dicom.StorageCommitment.Reference;
import dev.atrium.index.schema.tables.records.CommitmentRequestRecord;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * The storage commitment requests whose report the archive still owes (PS3.4 J.3), oldest first, each leased to the
 * node reporting it: nodes sharing the index send each report once, and a report a gone node owed is sent by another.
 * Lease times are the database's clock, so the nodes' clocks need not agree.
 */
public final class CommitmentIndex {
  /** A request taken from {@code callingAe} and not yet reported: {@code id} names it here. */
  public record Owed(long id, String callingAe, String partition, StorageCommitment.Request request) {}

  private final Database db;

  public CommitmentIndex(Database db) {
    this.db = db;
  }

  /**
   * Records a request, leased to {@code node}, which reports it; its UIDs are checked ones (StorageCommitment.read),
   * which hold no tab or line break.
   */
  public long add(String callingAe, String partition, StorageCommitment.Request request, String node,
      int leaseSeconds) {
    StringBuilder refs = new StringBuilder(request.references().size() * 64);
    for (Reference r : request.references()) {
      refs.append(r.sopClassUid()).append('\t').append(r.sopInstanceUid()).append('\n');
    }
    return db.dsl().insertInto(COMMITMENT_REQUEST)
        .set(COMMITMENT_REQUEST.TRANSACTION_UID, request.transactionUid())
        .set(COMMITMENT_REQUEST.CALLING_AE, callingAe)
        .set(COMMITMENT_REQUEST.PARTITION_NAME, partition)
        .set(COMMITMENT_REQUEST.REFS, refs.toString())
        .set(COMMITMENT_REQUEST.CREATED_AT, LocalDateTime.now(ZoneOffset.UTC))
        .set(COMMITMENT_REQUEST.LEASE_OWNER, node)
        .set(COMMITMENT_REQUEST.LEASE_EXPIRES_AT, expiry(leaseSeconds))
        .returningResult(COMMITMENT_REQUEST.PK)
        .fetchOne(COMMITMENT_REQUEST.PK);
  }

  /**
   * Extends {@code node}'s lease on a request it is reporting; false when the request is no longer its own (its lease
   * expired and another node took it) or no longer owed.
   */
  public boolean renew(long id, String node, int leaseSeconds) {
    return db.dsl().update(COMMITMENT_REQUEST)
        .set(COMMITMENT_REQUEST.LEASE_EXPIRES_AT, expiry(leaseSeconds))
        .where(COMMITMENT_REQUEST.PK.eq(id), COMMITMENT_REQUEST.LEASE_OWNER.eq(node))
        .execute() == 1;
  }

  /**
   * Extends every lease {@code node} holds: its heartbeat, so that a report whose attempt outlasts a lease (a modality
   * that takes long to answer) stays this node's while it lives. A lease another node took over is not its own.
   */
  public void renewAll(String node, int leaseSeconds) {
    db.dsl().update(COMMITMENT_REQUEST)
        .set(COMMITMENT_REQUEST.LEASE_EXPIRES_AT, expiry(leaseSeconds))
        .where(COMMITMENT_REQUEST.LEASE_OWNER.eq(node))
        .execute();
  }

  /**
   * Leases to {@code node} the requests no node holds (released at a clean stop, or whose holder's lease expired), and
   * returns them, oldest first. Each is taken by a conditional update of its own row, so two nodes taking at once
   * never both get one.
   */
  public List<Owed> takeUnheld(String node, int leaseSeconds) {
    List<Owed> taken = new ArrayList<>();
    for (CommitmentRequestRecord r : db.dsl().selectFrom(COMMITMENT_REQUEST).where(unheld())
        .orderBy(COMMITMENT_REQUEST.PK).fetch()) {
      int won = db.dsl().update(COMMITMENT_REQUEST)
          .set(COMMITMENT_REQUEST.LEASE_OWNER, node)
          .set(COMMITMENT_REQUEST.LEASE_EXPIRES_AT, expiry(leaseSeconds))
          .where(COMMITMENT_REQUEST.PK.eq(r.getPk()), unheld())
          .execute();
      if (won == 1) {
        taken.add(new Owed(r.getPk(), r.getCallingAe(), r.getPartitionName(),
            new StorageCommitment.Request(r.getTransactionUid(), references(r.getRefs()))));
      }
    }
    return taken;
  }

  /** Gives up {@code node}'s leases (a clean stop): another node, or the next start, takes the requests at once. */
  public void release(String node) {
    releaseWhere(COMMITMENT_REQUEST.LEASE_OWNER.eq(node));
  }

  /** Gives up every lease: for an embedded index at a start, whose only other users were this archive's past runs. */
  public void releaseAll() {
    releaseWhere(COMMITMENT_REQUEST.LEASE_OWNER.isNotNull());
  }

  /** The request is reported, or given up. */
  public void remove(long id) {
    db.dsl().deleteFrom(COMMITMENT_REQUEST).where(COMMITMENT_REQUEST.PK.eq(id)).execute();
  }

  private void releaseWhere(Condition condition) {
    db.dsl().update(COMMITMENT_REQUEST)
        .setNull(COMMITMENT_REQUEST.LEASE_OWNER)
        .setNull(COMMITMENT_REQUEST.LEASE_EXPIRES_AT)
        .where(condition)
        .execute();
  }

  private static Condition unheld() {
    return COMMITMENT_REQUEST.LEASE_OWNER.isNull().or(COMMITMENT_REQUEST.LEASE_EXPIRES_AT.lt(DSL.currentLocalDateTime()));
  }

  private static Field<LocalDateTime> expiry(int leaseSeconds) {
    return DSL.currentLocalDateTime().plus(DayToSecond.valueOf(leaseSeconds * 1000.0));
  }

  private static List<Reference> references(String lines) {
    List<Reference> references = new ArrayList<>();
    for (String line : lines.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) references.add(new Reference(line.substring(0, tab), line.substring(tab + 1)));
    }
    return references;
  }
}
