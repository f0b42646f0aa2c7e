package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.dicom.DicomUid;
import dev.atrium.partition.Partitions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches requests to routes and turns failures into statuses with a message. */
final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private static final long MAX_DRAIN_BYTES = 32L << 20;
  private static final Pattern PARTITIONED = Pattern.compile("/dicom-web/partitions/([^/]*)(/.*)");

  private final List<Route> routes;
  private final String publicBaseUrl;

  Router(List<Route> routes, String publicBaseUrl) {
    this.routes = routes;
    this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null
        : publicBaseUrl.replaceAll("/+$", "");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    // The raw path: Jetty's decoded path drops ";params", which would let "1.2.3;DROP" pass as 1.2.3.
    String path = request.getHttpURI().getPath();
    boolean pathKnown = false;
    try {
      // PS3.18 says nothing of tenants; the Azure DICOM service's data partitions put every
      // DICOMweb path also under /dicom-web/partitions/{name}/, which the routes see stripped.
      String partition = Partitions.DEFAULT;
      String partitionPrefix = "";
      Matcher partitioned = PARTITIONED.matcher(path);
      if (partitioned.matches()) {
        partition = Partitions.require(partitioned.group(1));
        partitionPrefix = "/partitions/" + partition;
        path = "/dicom-web" + partitioned.group(2);
      }
      for (Route route : routes) {
        Matcher matcher = route.path().matcher(path);
        if (!matcher.matches()) continue;
        pathKnown = true;
        if (!route.method().equals(request.getMethod())) continue;
        route.endpoint().serve(new Exchange(request, response, matcher, baseUrl(request), partition, partitionPrefix));
        callback.succeeded();
        return true;
      }
      throw pathKnown ? new HttpProblem(405, request.getMethod() + " is not supported on " + path)
          : new HttpProblem(404, "no resource at " + path);
    } catch (HttpProblem problem) {
      writeProblem(request, response, callback, problem.status(), problem.getMessage());
    } catch (DicomUid.InvalidUidException | Partitions.InvalidPartitionException invalid) {
      writeProblem(request, response, callback, 400, invalid.getMessage());
    } catch (EofException gone) {
      log.debug("client went away: {} {}", request.getMethod(), path);
      callback.failed(gone);
    } catch (Exception | Error e) {
      log.error("{} {} failed", request.getMethod(), path, e);
      writeProblem(request, response, callback, 500, "internal error; see the archive's log");
    }
    return true;
  }

  private String baseUrl(Request request) {
    if (publicBaseUrl != null) return publicBaseUrl;
    HttpURI uri = request.getHttpURI();
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  static void writeProblem(Request request, Response response, Callback callback, int status, String message) {
    if (response.isCommitted()) {
      // Headers are gone; the only honest signal left is to abort the response.
      callback.failed(new IllegalStateException(message));
      return;
    }
    try {
      response.reset();
      if (!drainBody(request)) response.getHeaders().put(HttpHeader.CONNECTION, "close");
      ByteArrayOutputStream body = new ByteArrayOutputStream(256);
      try (JsonGenerator json = Exchange.JSON.createGenerator(body)) {
        json.writeStartObject();
        json.writeNumberField("status", status);
        json.writeStringField("message", message);
        json.writeEndObject();
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.size());
      response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  /**
   * Reads and discards what is left of a rejected request's body, up to a bound, so the client
   * gets the answer instead of a reset connection. False when the body was too large to drain.
   */
  private static boolean drainBody(Request request) {
    try (InputStream rest = Content.Source.asInputStream(request)) {
      byte[] sink = new byte[64 * 1024];
      long drained = 0;
      for (int n; (n = rest.read(sink)) >= 0; ) {
        drained += n;
        if (drained > MAX_DRAIN_BYTES) return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
