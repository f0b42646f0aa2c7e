package dev.atrium.dimse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The C-STORE requests of one association, counted per study and outcome, so that the audit trail records one
 * DICOM Instances Transferred event per study (PS3.15 A.5.3.2 describes "the completion of transferring" instances
 * between two AEs), not one per instance: a 2,000-image CT made 2,000 audit messages. Used by the association's own
 * thread.
 */
final class AssociationStores {
  /** An association open this long has its counts recorded at its next store, not only when it ends. */
  static final long MAX_AGE_NANOS = 60_000_000_000L;

  /** What one study's stores of one outcome add up to. */
  record Tally(String partition, String studyUid, boolean succeeded, int instances, String firstFailure,
      boolean otherFailures) {
    /** The event's outcome description. */
    String detail() {
      String count = instances + (instances == 1 ? " instance" : " instances");
      if (succeeded) return "C-STORE of " + count;
      return "C-STORE of " + count + " failed: " + firstFailure + (otherFailures ? " (and other reasons)" : "");
    }
  }

  private record Key(String partition, String studyUid, boolean succeeded) {}

  private final Map<Key, Tally> tallies = new LinkedHashMap<>();
  private long since = System.nanoTime();

  void add(String partition, String studyUid, boolean succeeded, String failure) {
    Key key = new Key(partition, studyUid, succeeded);
    Tally t = tallies.get(key);
    tallies.put(key, t == null
        ? new Tally(partition, studyUid, succeeded, 1, failure, false)
        : new Tally(partition, studyUid, succeeded, t.instances() + 1, t.firstFailure(),
            t.otherFailures() || !Objects.equals(t.firstFailure(), failure)));
  }

  boolean old(long now) {
    return now - since > MAX_AGE_NANOS;
  }

  /** The tallies so far, in the order their studies first came; the counting starts again. */
  List<Tally> drain() {
    List<Tally> all = new ArrayList<>(tallies.values());
    tallies.clear();
    since = System.nanoTime();
    return all;
  }
}
