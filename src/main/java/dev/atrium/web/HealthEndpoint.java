package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.health.HealthCheck;

/** GET /health: 200 only when the index answers and the store can be written. */
final class HealthEndpoint implements Route.Endpoint {
  private final HealthCheck health;

  HealthEndpoint(HealthCheck health) {
    this.health = health;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    HealthCheck.Result result = health.check();
    try (JsonGenerator json = exchange.startJson(result.healthy() ? 200 : 503, "application/json")) {
      json.writeStartObject();
      json.writeStringField("status", result.healthy() ? "UP" : "DOWN");
      json.writeStringField("index", result.index());
      json.writeStringField("store", result.store());
      json.writeEndObject();
    }
  }
}
