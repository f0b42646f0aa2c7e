package dev.atrium.store;

import dev.atrium.metrics.CounterFamily;
import dev.atrium.metrics.Metrics;
import java.util.Locale;

/** What the store path ended with, instance by instance, for monitoring: stored, already stored, or why it failed. */
final class StoreCounts {
  private final CounterFamily instances;

  StoreCounts(Metrics metrics) {
    instances = metrics.counter("atrium_store_instances_total", "Instances offered to the store path (C-STORE and "
        + "STOW-RS alike), by outcome and, for a failure, its reason", "outcome", "reason");
  }

  StoreOutcome count(StoreOutcome outcome) {
    instances.increment(outcome.status().name().toLowerCase(Locale.ROOT),
        outcome.failure() == null ? "" : outcome.failure().name().toLowerCase(Locale.ROOT));
    return outcome;
  }
}
