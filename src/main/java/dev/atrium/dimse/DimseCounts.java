package dev.atrium.dimse;

import dev.atrium.metrics.CounterFamily;
import dev.atrium.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Associations (accepted, rejected, open now) and requests by service, for monitoring. */
final class DimseCounts {
  private static final String[] SERVICES = {"echo", "store", "commit", "find", "move", "get"};
  private final LongAdder accepted;
  private final LongAdder rejected;
  private final AtomicLong open = new AtomicLong();
  private final Map<String, LongAdder> requests = new java.util.HashMap<>();
  private final CounterFamily subOperations;

  DimseCounts(Metrics metrics) {
    CounterFamily associations = metrics.counter("atrium_dimse_associations_total",
        "DICOM associations asked for, by outcome (accepted, or rejected: AE not admitted, called AE not served)",
        "outcome");
    accepted = associations.labels("accepted");
    rejected = associations.labels("rejected");
    metrics.gauge("atrium_dimse_associations_open", "DICOM associations open now", open::get);
    CounterFamily byService = metrics.counter("atrium_dimse_requests_total",
        "DIMSE requests received, by service (echo, store, commit: storage commitment, find, move, get)",
        "service");
    for (String service : SERVICES) requests.put(service, byService.labels(service));
    subOperations = metrics.counter("atrium_dimse_suboperations_total", "C-STORE sub-operations of C-MOVE and C-GET, "
        + "by service and outcome (completed, failed, warning)", "service", "outcome");
  }

  void subOperations(String service, int completed, int failed, int warning) {
    subOperations.add(completed, service, "completed");
    subOperations.add(failed, service, "failed");
    subOperations.add(warning, service, "warning");
  }

  void accepted() {
    accepted.increment();
    open.incrementAndGet();
  }

  void rejected() {
    rejected.increment();
  }

  void closed() {
    open.decrementAndGet();
  }

  void request(String service) {
    requests.get(service).increment();
  }
}
