package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.fhir.FhirSync;
import dev.atrium.fhir.FhirSyncStatus;
import dev.atrium.index.FhirSyncIndex;
import java.io.IOException;
import java.time.ZoneOffset;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * GET /fhir-sync: the DICOMcast checkpoint, newest change-feed sequence, lag and state;
 * GET /fhir-sync/errors?offset=&limit=: the changes the FHIR server rejected, in sequence order.
 */
final class FhirSyncEndpoint implements Route.Endpoint {
  private static final int MAX_LIMIT = 1000;

  private final FhirSync sync;
  private final boolean errors;

  FhirSyncEndpoint(FhirSync sync, boolean errors) {
    this.sync = sync;
    this.errors = errors;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    if (errors) {
      Fields q = Request.extractQueryParameters(exchange.request);
      int skip = count(q, "offset", 0, Integer.MAX_VALUE, 0);
      int limit = count(q, "limit", 1, MAX_LIMIT, 100);
      try (JsonGenerator json = exchange.startJson(200, "application/json")) {
        json.writeStartArray();
        for (FhirSyncIndex.Error e : sync.errors(skip, limit)) write(json, e);
        json.writeEndArray();
      }
      return;
    }
    FhirSyncStatus s = sync.status();
    try (JsonGenerator json = exchange.startJson(200, "application/json")) {
      json.writeStartObject();
      json.writeStringField("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
      json.writeNumberField("checkpoint", s.checkpoint());
      json.writeNumberField("latestSequence", s.latestSequence());
      json.writeNumberField("lag", s.lag());
      json.writeStringField("node", s.node());
      json.writeStringField("leaseOwner", s.leaseOwner());
      json.writeStringField("lastError", s.lastError());
      json.writeStringField("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
      json.writeNumberField("errors", s.errors());
      json.writeEndObject();
    }
  }

  private static void write(JsonGenerator json, FhirSyncIndex.Error e) throws IOException {
    json.writeStartObject();
    json.writeNumberField("sequence", e.firstSequence());
    json.writeNumberField("lastSequence", e.lastSequence());
    json.writeStringField("partition", e.partition());
    json.writeStringField("studyInstanceUid", e.studyUid());
    json.writeNumberField("status", e.httpStatus());
    json.writeStringField("message", e.message());
    json.writeStringField("recordedAt", e.recordedAt().atOffset(ZoneOffset.UTC).toString());
    json.writeEndObject();
  }

  private static int count(Fields q, String name, int min, int max, int fallback) {
    String value = q.getValue(name);
    if (value == null) return fallback;
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new HttpProblem(400, "query parameter '" + name + "' must be a number from " + min + " to " + max
        + ", not '" + value + "'");
  }
}
