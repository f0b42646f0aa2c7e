package dev.atrium.dimse;

import dev.atrium.audit.AuditEvent;
import dev.atrium.audit.AuditEvent.Kind;
import dev.atrium.audit.AuditEvent.Outcome;
import dev.atrium.audit.AuditTrail;
import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.DimseExchange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The audit records of DIMSE traffic (PS3.15 A.5.3): who is the calling AE, from its address. */
final class DimseAudit {
  private final AuditTrail trail;
  /** The stores of each open association not yet recorded. */
  private final Map<AssociationInfo, AssociationStores> stores = new ConcurrentHashMap<>();

  DimseAudit(AuditTrail trail) {
    this.trail = trail;
  }

  /** Counted, and recorded per study when the association ends (or has been open a minute). */
  void stored(DimseExchange exchange, String partition, String studyUid, boolean succeeded, String failure) {
    AssociationInfo a = exchange.association();
    AssociationStores counted = stores.computeIfAbsent(a, k -> new AssociationStores());
    counted.add(partition, studyUid, succeeded, failure);
    if (counted.old(System.nanoTime())) record(a, counted);
  }

  void associationClosed(AssociationInfo a) {
    AssociationStores counted = stores.remove(a);
    if (counted != null) record(a, counted);
  }

  private void record(AssociationInfo a, AssociationStores counted) {
    for (AssociationStores.Tally t : counted.drain()) {
      trail.record(AuditEvent.of(Kind.INSTANCES_STORED, t.succeeded() ? Outcome.SUCCESS : Outcome.MINOR_FAILURE,
          a.callingAeTitle(), address(a), t.partition(), t.studyUid() == null ? List.of() : List.of(t.studyUid()),
          null, t.detail()));
    }
  }

  void queried(DimseExchange exchange, String partition, String query) {
    AssociationInfo a = exchange.association();
    trail.record(AuditEvent.dimseQuery(a.callingAeTitle(), address(a), partition, exchange.abstractSyntaxUid(), query,
        "C-FIND"));
  }

  /** A C-MOVE or C-GET (PS3.15 A.5.3.2 DICOM Instances Transferred): the studies sent, and to whom. */
  void retrieved(DimseExchange exchange, String partition, List<String> studyUids, boolean succeeded, String detail) {
    AssociationInfo a = exchange.association();
    trail.record(AuditEvent.of(Kind.INSTANCES_RETRIEVED, succeeded ? Outcome.SUCCESS : Outcome.MINOR_FAILURE,
        a.callingAeTitle(), address(a), partition, studyUids, null, detail));
  }

  void associationRejected(AssociationInfo a, String reason) {
    trail.record(AuditEvent.of(Kind.NODE_AUTHENTICATION_ALERT, Outcome.MINOR_FAILURE, a.callingAeTitle(), address(a),
        null, null, null, "association rejected: " + reason));
  }

  void serviceRefused(DimseExchange exchange, String service) {
    AssociationInfo a = exchange.association();
    trail.record(AuditEvent.of(Kind.RESTRICTED_FUNCTION_ALERT, Outcome.MINOR_FAILURE, a.callingAeTitle(),
        address(a), null, null, null, a.callingAeTitle() + " is not granted " + service));
  }

  private static String address(AssociationInfo a) {
    return a.remote() == null ? null : a.remote().getAddress().getHostAddress();
  }
}
