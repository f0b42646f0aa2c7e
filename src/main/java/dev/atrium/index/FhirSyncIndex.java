package dev.atrium.index;

import static dev.atrium.index.schema.Tables.FHIR_SYNC_ERROR;
import static dev.atrium.index.schema.Tables.FHIR_SYNC_STATE;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * The FHIR sync's state in the index: its checkpoint in the change feed, the lease that makes one
 * node at a time its writer, and the changes a FHIR server refused. Lease times are the
 * database's clock, so the nodes' clocks need not agree.
 */
public final class FhirSyncIndex {
  private static final String NAME = "default";
  private static final int MESSAGE_LENGTH = 2000;

  /** Where the sync stands; {@code leaseOwner} is null when no node holds an unexpired lease. */
  public record State(long checkpoint, String leaseOwner) {}

  /** A range of changes of one study that the FHIR server rejected for good. */
  public record Error(long firstSequence, long lastSequence, String partition, String studyUid, int httpStatus,
      String message, LocalDateTime recordedAt) {}

  private final Database db;

  public FhirSyncIndex(Database db) {
    this.db = db;
  }

  /** Takes or renews the lease when it is free, expired or already this node's. */
  public boolean tryLease(String node, int seconds) {
    Condition free = FHIR_SYNC_STATE.LEASE_OWNER.isNull().or(FHIR_SYNC_STATE.LEASE_OWNER.eq(node))
        .or(FHIR_SYNC_STATE.LEASE_EXPIRES_AT.lt(now()));
    return db.dsl().update(FHIR_SYNC_STATE)
        .set(FHIR_SYNC_STATE.LEASE_OWNER, node)
        .set(FHIR_SYNC_STATE.LEASE_EXPIRES_AT, now().plus(DayToSecond.valueOf(seconds * 1000.0)))
        .set(FHIR_SYNC_STATE.UPDATED_AT, now())
        .where(FHIR_SYNC_STATE.NAME.eq(NAME), free)
        .execute() == 1;
  }

  /**
   * Moves the checkpoint forward to {@code sequence} and renews the lease, only while this node
   * holds an unexpired lease: a node that lost it (paused too long) cannot move the checkpoint.
   */
  public boolean advance(String node, long sequence, int leaseSeconds) {
    return db.dsl().update(FHIR_SYNC_STATE)
        .set(FHIR_SYNC_STATE.CHECKPOINT_SEQ, sequence)
        .set(FHIR_SYNC_STATE.LEASE_EXPIRES_AT, now().plus(DayToSecond.valueOf(leaseSeconds * 1000.0)))
        .set(FHIR_SYNC_STATE.UPDATED_AT, now())
        .where(FHIR_SYNC_STATE.NAME.eq(NAME), FHIR_SYNC_STATE.LEASE_OWNER.eq(node),
            FHIR_SYNC_STATE.LEASE_EXPIRES_AT.gt(now()), FHIR_SYNC_STATE.CHECKPOINT_SEQ.le(sequence))
        .execute() == 1;
  }

  /** Gives the lease up (clean shutdown), so another node takes over without waiting for expiry. */
  public void release(String node) {
    db.dsl().update(FHIR_SYNC_STATE)
        .setNull(FHIR_SYNC_STATE.LEASE_OWNER)
        .setNull(FHIR_SYNC_STATE.LEASE_EXPIRES_AT)
        .where(FHIR_SYNC_STATE.NAME.eq(NAME), FHIR_SYNC_STATE.LEASE_OWNER.eq(node))
        .execute();
  }

  public State state() {
    return db.dsl().select(FHIR_SYNC_STATE.CHECKPOINT_SEQ,
            DSL.when(FHIR_SYNC_STATE.LEASE_EXPIRES_AT.gt(now()), FHIR_SYNC_STATE.LEASE_OWNER))
        .from(FHIR_SYNC_STATE).where(FHIR_SYNC_STATE.NAME.eq(NAME))
        .fetchOne(r -> new State(r.value1(), r.value2()));
  }

  public void recordError(Error error) {
    String message = error.message() == null ? "" : error.message();
    db.dsl().insertInto(FHIR_SYNC_ERROR)
        .set(FHIR_SYNC_ERROR.FIRST_SEQ, error.firstSequence())
        .set(FHIR_SYNC_ERROR.LAST_SEQ, error.lastSequence())
        .set(FHIR_SYNC_ERROR.PARTITION_NAME, error.partition())
        .set(FHIR_SYNC_ERROR.STUDY_INSTANCE_UID, error.studyUid())
        .set(FHIR_SYNC_ERROR.HTTP_STATUS, error.httpStatus())
        .set(FHIR_SYNC_ERROR.MESSAGE, message.length() > MESSAGE_LENGTH ? message.substring(0, MESSAGE_LENGTH) : message)
        .set(FHIR_SYNC_ERROR.CREATED_AT, LocalDateTime.now(ZoneOffset.UTC))
        .execute();
  }

  /** Recorded errors in sequence order, skipping {@code skip}, at most {@code limit}. */
  public List<Error> errors(int skip, int limit) {
    return db.dsl().selectFrom(FHIR_SYNC_ERROR).orderBy(FHIR_SYNC_ERROR.FIRST_SEQ, FHIR_SYNC_ERROR.PK)
        .limit(limit).offset(skip)
        .fetch(r -> new Error(r.getFirstSeq(), r.getLastSeq(), r.getPartitionName(), r.getStudyInstanceUid(),
            r.getHttpStatus(), r.getMessage(), r.getCreatedAt()));
  }

  public int errorCount() {
    return db.dsl().fetchCount(FHIR_SYNC_ERROR);
  }

  private static Field<LocalDateTime> now() {
    return DSL.currentLocalDateTime();
  }
}
