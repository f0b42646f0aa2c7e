package dev.atrium.security;

/**
 * One permitted action, in one partition or (partition null) in all of them. A role claim
 * {@code DicomDataReader@cardiology} gives grants scoped to the partition cardiology.
 */
public record Grant(Action action, String partition) {

  /** Whether this grant covers the action on the given scope; a null scope means global resources. */
  boolean covers(Action wanted, String scope) {
    return action == wanted && (partition == null || partition.equals(scope));
  }
}
