package dev.atrium.web;

import dev.atrium.metrics.Metrics;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** GET /metrics: the Prometheus text exposition format, for a hospital's monitoring to scrape. */
final class MetricsEndpoint implements Route.Endpoint {
  private final Metrics metrics;

  MetricsEndpoint(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    exchange.respond(200, "text/plain; version=0.0.4; charset=utf-8", body -> {
      Writer out = new OutputStreamWriter(body, StandardCharsets.UTF_8);
      metrics.writeTo(out);
      out.flush();
    });
  }
}
