package dev.atrium.index;

import static dev.atrium.index.schema.Tables.COMMITMENT_REQUEST;

import dev.atrium.dicom.StorageCommitment;
import dev.atrium.dicom.StorageCommitment.Reference;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The storage commitment requests whose report the archive still owes (PS3.4 J.3), oldest first. */
public final class CommitmentIndex {
  /** A request taken from {@code callingAe} and not yet reported: {@code id} names it here. */
  public record Owed(long id, String callingAe, String partition, StorageCommitment.Request request) {}

  private final Database db;

  public CommitmentIndex(Database db) {
    this.db = db;
  }

  /** Records a request; its UIDs are checked ones (StorageCommitment.read), which hold no tab or line break. */
  public long add(String callingAe, String partition, StorageCommitment.Request request) {
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
        .returningResult(COMMITMENT_REQUEST.PK)
        .fetchOne(COMMITMENT_REQUEST.PK);
  }

  /** The request is reported, or given up. */
  public void remove(long id) {
    db.dsl().deleteFrom(COMMITMENT_REQUEST).where(COMMITMENT_REQUEST.PK.eq(id)).execute();
  }

  public List<Owed> owed() {
    return db.dsl().selectFrom(COMMITMENT_REQUEST).orderBy(COMMITMENT_REQUEST.PK).fetch(r -> new Owed(r.getPk(),
        r.getCallingAe(), r.getPartitionName(),
        new StorageCommitment.Request(r.getTransactionUid(), references(r.getRefs()))));
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
