package dev.atrium.fhir;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive change-feed entries of one study, applied to its ImagingStudy in one update
 * (in feed order, so a delete followed by a new store of the same instance ends with it present).
 */
record StudyChanges(String partition, String studyUid, long firstSequence, long lastSequence, List<Change> changes) {

  /** One instance's change: it is now as {@code facts} say, or it is gone. */
  sealed interface Change {}

  record Stored(InstanceFacts facts) implements Change {}

  record Removed(String seriesUid, String sopUid) implements Change {}

  /** Facts of the instances stored in this group, in feed order (for patient and study attributes). */
  List<InstanceFacts> stored() {
    List<InstanceFacts> stored = new ArrayList<>();
    for (Change c : changes) {
      if (c instanceof Stored s) stored.add(s.facts());
    }
    return stored;
  }
}
