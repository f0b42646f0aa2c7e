package dev.atrium.fhir;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/**
 * How the sync treats a failed FHIR call. Transient: the server is down, overloaded (5xx, 429),
 * or refuses our credentials (401, 403: fixing the configuration must not lose changes); the
 * checkpoint stays and the call is retried with backoff. Conflict: another writer changed the
 * resource since it was read (409, 412); read again and reapply. Permanent: the server rejects
 * the data itself (other 4xx); recorded, and the sync moves on.
 */
final class FhirFailure extends RuntimeException {
  enum Kind { TRANSIENT, CONFLICT, PERMANENT }

  private final Kind kind;
  private final int status;

  private FhirFailure(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  static FhirFailure of(RuntimeException e) {
    if (e instanceof FhirFailure f) return f;
    // Before the status check: HAPI reports a refused connection as a 500 without a response.
    if (e instanceof FhirClientConnectionException) {
      return new FhirFailure(Kind.TRANSIENT, 0, "FHIR server unreachable: " + e.getMessage(), e);
    }
    if (e instanceof BaseServerResponseException response) {
      int status = response.getStatusCode();
      Kind kind = status >= 500 || status == 429 || status == 401 || status == 403 || status == 408 ? Kind.TRANSIENT
          : status == 409 || status == 412 ? Kind.CONFLICT : Kind.PERMANENT;
      return new FhirFailure(kind, status, "FHIR server answered " + status + ": " + response.getMessage(), e);
    }
    // An unexpected client failure: keep the changes and retry rather than drop them.
    return new FhirFailure(Kind.TRANSIENT, 0, "FHIR call failed: " + e, e);
  }

  static FhirFailure permanent(int status, String message) {
    return new FhirFailure(Kind.PERMANENT, status, message, null);
  }

  static FhirFailure transientFailure(String message) {
    return new FhirFailure(Kind.TRANSIENT, 0, message, null);
  }

  Kind kind() {
    return kind;
  }

  /** The HTTP status the FHIR server answered, 0 when there was no answer. */
  int status() {
    return status;
  }
}
