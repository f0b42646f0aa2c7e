package dev.atrium.dimse;

import dev.atrium.audit.AuditEvent;
import dev.atrium.audit.AuditEvent.Kind;
import dev.atrium.audit.AuditEvent.Outcome;
import dev.atrium.audit.AuditTrail;
import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.DimseExchange;
import java.util.List;

/** The audit records of DIMSE traffic (PS3.15 A.5.3): who is the calling AE, from its address. */
final class DimseAudit {
  private final AuditTrail trail;

  DimseAudit(AuditTrail trail) {
    this.trail = trail;
  }

  void stored(DimseExchange exchange, String partition, String studyUid, boolean succeeded, String failure) {
    AssociationInfo a = exchange.association();
    trail.record(AuditEvent.of(Kind.INSTANCES_STORED, succeeded ? Outcome.SUCCESS : Outcome.MINOR_FAILURE,
        a.callingAeTitle(), address(a), partition, studyUid == null ? List.of() : List.of(studyUid), null,
        succeeded ? "C-STORE" : "C-STORE failed: " + failure));
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
