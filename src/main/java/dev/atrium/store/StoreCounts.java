package dev.atrium.store;

import dev.atrium.metrics.CounterFamily;
import dev.atrium.metrics.Metrics;
import dev.atrium.store.StoreOutcome.Status;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store path ended with, instance by instance, for monitoring: stored, already stored, or why it failed.
 * Every series exists from the start (at 0), and counting one instance looks nothing up.
 */
final class StoreCounts {
  private final LongAdder stored;
  private final LongAdder alreadyStored;
  private final Map<StoreFailure, LongAdder> failed = new EnumMap<>(StoreFailure.class);

  StoreCounts(Metrics metrics) {
    CounterFamily instances = metrics.counter("atrium_store_instances_total", "Instances offered to the store path "
        + "(C-STORE and STOW-RS alike), by outcome and, for a failure, its reason", "outcome", "reason");
    stored = instances.labels(label(Status.STORED), "");
    alreadyStored = instances.labels(label(Status.ALREADY_STORED), "");
    for (StoreFailure failure : StoreFailure.values()) {
      failed.put(failure, instances.labels(label(Status.FAILED), failure.name().toLowerCase(Locale.ROOT)));
    }
  }

  StoreOutcome count(StoreOutcome outcome) {
    switch (outcome.status()) {
      case STORED -> stored.increment();
      case ALREADY_STORED -> alreadyStored.increment();
      case FAILED -> failed.get(Objects.requireNonNullElse(outcome.failure(), StoreFailure.PROCESSING_FAILURE))
          .increment();
    }
    return outcome;
  }

  private static String label(Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
