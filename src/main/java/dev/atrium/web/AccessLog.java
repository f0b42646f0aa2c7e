package dev.atrium.web;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per HTTP request: method, path, status, duration, client. */
final class AccessLog implements RequestLog {
  private static final Logger log = LoggerFactory.getLogger("atrium.http");

  @Override
  public void log(Request request, Response response) {
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
    log.info("{} {} {} {}ms {}", request.getMethod(), request.getHttpURI().getPathQuery(), response.getStatus(),
        String.format("%.1f", micros / 1000.0), Request.getRemoteAddr(request));
  }
}
