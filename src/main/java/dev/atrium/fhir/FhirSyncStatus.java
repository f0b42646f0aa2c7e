package dev.atrium.fhir;

import java.time.Instant;

/**
 * Where the sync stands: the checkpoint (last change-feed sequence reflected in FHIR), the
 * newest sequence, how far behind it is, and what it is doing.
 */
public record FhirSyncStatus(State state, long checkpoint, long latestSequence, String node, String leaseOwner,
    String lastError, Instant lastErrorAt, int errors) {

  public enum State {
    /** fhir.enabled is false on this node. */
    DISABLED,
    /** Caught up, polling for changes. */
    IDLE,
    /** Applying changes. */
    SYNCING,
    /** The FHIR server (or the index) failed transiently; retrying with backoff, checkpoint kept. */
    RETRYING,
    /** Another node holds the lease and runs the sync. */
    STANDBY,
    STOPPED
  }

  /** Sequences behind the newest change. */
  public long lag() {
    return Math.max(0, latestSequence - checkpoint);
  }
}
