package dev.atrium.store;

import java.util.List;

/**
 * The result of one store: stored (with a warning when values the index keeps could not be read), already stored
 * (kept as is), or failed with a reason and a message for the client. UIDs are those read from the data set, as far
 * as it could be read.
 */
public record StoreOutcome(
    Status status, StoreFailure failure, String message,
    String sopClassUid, String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
    List<String> invalidValues) {

  public enum Status { STORED, ALREADY_STORED, FAILED }

  public boolean succeeded() {
    return status != Status.FAILED;
  }

  /** Stored, with values the index could not read ({@link #invalidValues} says which), or null. */
  public StoreWarning warning() {
    return invalidValues.isEmpty() ? null : StoreWarning.INVALID_INDEXED_VALUES;
  }

  static StoreOutcome of(Status status, Uids uids) {
    return of(status, uids, List.of());
  }

  static StoreOutcome of(Status status, Uids uids, List<String> invalidValues) {
    return new StoreOutcome(status, null, null, uids.sopClass, uids.sopInstance, uids.study, uids.series,
        invalidValues);
  }

  /** A failure before any instance could be named (a part that is no DICOM, a body cut short). */
  public static StoreOutcome failed(StoreFailure failure, String message) {
    return failed(failure, message, Uids.NONE);
  }

  static StoreOutcome failed(StoreFailure failure, String message, Uids uids) {
    return new StoreOutcome(Status.FAILED, failure, message, uids.sopClass, uids.sopInstance, uids.study, uids.series,
        List.of());
  }

  /** The UIDs known so far (any may be null). */
  record Uids(String sopClass, String sopInstance, String study, String series) {
    static final Uids NONE = new Uids(null, null, null, null);
  }
}
