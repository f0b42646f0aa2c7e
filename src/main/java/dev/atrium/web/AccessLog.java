package dev.atrium.web;

import dev.atrium.metrics.CounterFamily;
import dev.atrium.metrics.HistogramFamily;
import dev.atrium.metrics.Metrics;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per HTTP request: method, path, status, duration, client; and the same, counted, for monitoring. */
final class AccessLog implements RequestLog {
  private static final Logger log = LoggerFactory.getLogger("atrium.http");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private final CounterFamily requests;
  private final HistogramFamily durations;
  private final CounterFamily sent;

  AccessLog(Metrics metrics) {
    requests = metrics.counter("atrium_http_requests_total", "HTTP requests answered, by method, route and status "
        + "code", "method", "route", "code");
    durations = metrics.histogram("atrium_http_request_duration_seconds", "Time from a request's first byte to its "
        + "answer's last, by method and route", SECONDS, "method", "route");
    sent = metrics.counter("atrium_http_response_bytes_total", "Bytes of HTTP response bodies sent, by method and "
        + "route", "method", "route");
  }

  @Override
  public void log(Request request, Response response) {
    long nanos = System.nanoTime() - request.getBeginNanoTime();
    long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
    log.info("{} {} {} {}ms {}", request.getMethod(), request.getHttpURI().getPathQuery(), response.getStatus(),
        String.format("%.1f", micros / 1000.0), Request.getRemoteAddr(request));
    // A client names any method it likes: others are counted together, so that no client can grow the label set.
    String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "other";
    // The route's template, not the path: one series per route whatever the UIDs, so the label set stays bounded.
    // Requests no route served (an unknown path, a preflight, an error Jetty answered) are counted together.
    String route = request.getAttribute(Route.TEMPLATE_ATTRIBUTE) instanceof String template ? template : "none";
    requests.increment(method, route, Integer.toString(response.getStatus()));
    durations.observe(nanos / 1e9, method, route);
    sent.add(Response.getContentBytesWritten(response), method, route);
  }
}
