package dev.atrium.store;

/**
 * The result of one store: stored, already stored (kept as is), or failed with a reason and a
 * message for the client. UIDs are those read from the data set, as far as it could be read.
 */
public record StoreOutcome(
    Status status, StoreFailure failure, String message,
    String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid) {

  public enum Status { STORED, ALREADY_STORED, FAILED }

  public boolean succeeded() {
    return status != Status.FAILED;
  }

  static StoreOutcome of(Status status, Uids uids) {
    return new StoreOutcome(status, null, null, uids.sopClass, uids.sopInstance, uids.study, uids.series);
  }

  static StoreOutcome failed(StoreFailure failure, String message, Uids uids) {
    return new StoreOutcome(Status.FAILED, failure, message, uids.sopClass, uids.sopInstance, uids.study, uids.series);
  }

  /** The UIDs known so far (any may be null). */
  record Uids(String sopClass, String sopInstance, String study, String series) {
    static final Uids NONE = new Uids(null, null, null, null);
  }
}
