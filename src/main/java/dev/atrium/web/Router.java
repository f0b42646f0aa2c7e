package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.audit.AuditTrail;
import dev.atrium.dicom.DicomUid;
import dev.atrium.index.IndexFailure;
import dev.atrium.partition.Partitions;
import dev.atrium.security.Authenticator;
import dev.atrium.security.HttpAccessPolicy;
import dev.atrium.security.InvalidTokenException;
import dev.atrium.security.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches requests to routes and turns failures into statuses with a message. */
final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private static final long MAX_DRAIN_BYTES = 32L << 20;
  private static final Pattern PARTITIONED = Pattern.compile("/dicom-web/partitions/([^/]*)(/.*)");
  /** STOW-RS, which creates the partition it names. */
  private static final Pattern STOW = Pattern.compile("/dicom-web/studies(/[^/]+)?");

  private final List<Route> routes;
  private final String publicBaseUrl;
  private final Authenticator authenticator;
  private final HttpAudit audit;
  private final CrossOrigin crossOrigin;

  private final long maxRequestBytes;
  private final Predicate<String> partitionExists;

  Router(List<Route> routes, String publicBaseUrl, Authenticator authenticator, AuditTrail audit,
      long maxRequestBytes, Predicate<String> partitionExists, CrossOrigin crossOrigin) {
    this.crossOrigin = crossOrigin;
    this.maxRequestBytes = maxRequestBytes;
    this.partitionExists = partitionExists;
    this.routes = routes;
    this.authenticator = authenticator;
    this.audit = new HttpAudit(audit);
    this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null
        : publicBaseUrl.replaceAll("/+$", "");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    // The raw path: Jetty's decoded path drops ";params", which would let "1.2.3;DROP" pass as 1.2.3.
    String path = request.getHttpURI().getPath();
    if (CrossOrigin.isPreflight(request)) {
      answerPreflight(request, response, callback);
      return true;
    }
    crossOrigin.grantResponse(request, response.getHeaders());
    Set<String> allowed = new TreeSet<>(); // the methods of the routes whose path matched
    Exchange exchange = null;
    int status = 500;
    try {
      // PS3.18 says nothing of tenants; the Azure DICOM service's data partitions put every
      // DICOMweb path also under /dicom-web/partitions/{name}/, which the routes see stripped.
      String partition = Partitions.DEFAULT;
      String partitionPrefix = "";
      Matcher partitioned = PARTITIONED.matcher(path);
      if (partitioned.matches()) {
        partition = Partitions.require(URIUtil.decodePath(partitioned.group(1))); // as the client wrote it
        partitionPrefix = "/partitions/" + partition;
        path = "/dicom-web" + partitioned.group(2);
      }
      // Authentication before routing: an unauthenticated caller learns nothing, not even which paths exist.
      Principal principal = authorize(request, path, partition);
      boolean creates = (request.getMethod().equals("POST") || request.getMethod().equals("PUT"))
          && STOW.matcher(path).matches();
      if (!partitionPrefix.isEmpty() && !creates && !partitionExists.test(partition)) {
        // The Azure DICOM service's answer: a partition comes into being with its first STOW-RS, nothing else.
        throw new HttpProblem(400, "Specified PartitionName " + partition + " does not exist.");
      }
      long declared = request.getLength();
      if (declared > maxRequestBytes) {
        throw new HttpProblem(413, "the request body of " + declared + " bytes exceeds the limit of "
            + maxRequestBytes + " (http.maxRequestBytes)");
      }
      for (Route route : routes) {
        Matcher matcher = route.path().matcher(path);
        if (!matcher.matches()) continue;
        allowed.add(route.method());
        if (route.method().equals("GET")) allowed.add("HEAD");
        if (!answers(route, request.getMethod())) continue;
        request.setAttribute(Route.TEMPLATE_ATTRIBUTE, route.template());
        exchange = new Exchange(request, response, matcher, baseUrl(request), partition, partitionPrefix, principal,
            maxRequestBytes);
        route.endpoint().serve(exchange);
        status = response.getStatus();
        callback.succeeded();
        return true;
      }
      if (allowed.isEmpty()) throw new HttpProblem(404, "no resource at " + path);
      status = 405; // RFC 9110 15.5.6: with the methods the resource has
      writeProblem(request, response, callback, 405, request.getMethod() + " is not supported on " + path
          + " (only " + String.join(", ", allowed) + ")", new HttpField(HttpHeader.ALLOW, String.join(", ", allowed)));
    } catch (Unauthorized unauthorized) {
      status = unauthorized.status;
      writeProblem(request, response, callback, unauthorized.status, unauthorized.getMessage(),
          unauthorized.challenge == null ? null : new HttpField(HttpHeader.WWW_AUTHENTICATE, unauthorized.challenge));
    } catch (HttpProblem problem) {
      status = problem.status();
      writeProblem(request, response, callback, problem.status(), problem.getMessage());
    } catch (DicomUid.InvalidUidException | Partitions.InvalidPartitionException invalid) {
      status = 400;
      writeProblem(request, response, callback, 400, invalid.getMessage());
    } catch (EofException gone) {
      log.debug("client went away: {} {}", request.getMethod(), path);
      callback.failed(gone);
    } catch (Exception | Error e) {
      log.error("{} {} failed", request.getMethod(), path, e);
      if (IndexFailure.notDurable(e)) {
        status = 503; // not a failure: the change is made, but a crash now could undo it
        writeProblem(request, response, callback, status, "the change was made but could not be made durable (is "
            + "the disk full?): it may not survive a restart; see the archive's log");
      } else if (IndexFailure.unavailable(e)) {
        status = 503;
        writeProblem(request, response, callback, status, "the archive's index is unavailable; see the archive's log");
      } else {
        writeProblem(request, response, callback, 500, "internal error; see the archive's log");
      }
    } finally {
      if (exchange != null) audit.served(request, path, exchange, status);
    }
    return true;
  }

  /** A CORS preflight: 204 with the grant, or 403 saying why not. Never authenticated (browsers send no token). */
  private void answerPreflight(Request request, Response response, Callback callback) {
    HttpFields.Mutable grant = HttpFields.build();
    String refusal = crossOrigin.grantPreflight(request, grant);
    if (refusal != null) {
      writeProblem(request, response, callback, 403, refusal);
      return;
    }
    response.setStatus(204);
    response.getHeaders().add(grant);
    callback.succeeded();
  }

  /** RFC 9110 9.3.2: HEAD is answered wherever GET is, with the same status and header fields and no content. */
  private static boolean answers(Route route, String method) {
    return route.method().equals(method) || method.equals("HEAD") && route.method().equals("GET");
  }

  /**
   * The caller, checked against the action the request needs (RFC 6750 3: 401 with a Bearer
   * challenge for a missing or bad token, 403 insufficient_scope for a good token without the
   * action on this partition).
   */
  private Principal authorize(Request request, String path, String partition) throws Unauthorized {
    HttpAccessPolicy.Requirement needed = HttpAccessPolicy.requirement(request.getMethod(), path);
    if (needed == null || !authenticator.enabled()) return Principal.ANONYMOUS;
    Principal principal;
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    try {
      principal = authenticator.authenticate(authorization);
    } catch (Authenticator.MissingTokenException missing) {
      audit.tokenRejected(request, false, missing.getMessage());
      throw new Unauthorized(401, "Bearer realm=\"atrium\"", missing.getMessage());
    } catch (InvalidTokenException invalid) {
      audit.tokenRejected(request, true, invalid.getMessage());
      throw new Unauthorized(401, "Bearer realm=\"atrium\", error=\"invalid_token\", error_description=\""
          + quoted(invalid.getMessage()) + "\"", "invalid token: " + invalid.getMessage());
    }
    audit.authenticated(principal, authorization, request);
    String scope = needed.archiveWide() ? null : partition;
    if (!principal.may(needed.action(), scope)) {
      String message = principal.name() + " may not " + needed.action().configName()
          + (scope == null ? " archive-wide resources" : " in partition " + scope);
      audit.forbidden(principal, request, partition, message);
      throw new Unauthorized(403, "Bearer realm=\"atrium\", error=\"insufficient_scope\", error_description=\""
          + quoted(message) + "\"", message);
    }
    return principal;
  }

  /** RFC 6750 3: error_description is a quoted string of printable ASCII without '"' or '\\'. */
  private static String quoted(String text) {
    return text.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'");
  }

  /** A 401 or 403 with its WWW-Authenticate challenge. */
  private static final class Unauthorized extends Exception {
    final int status;
    final String challenge;

    Unauthorized(int status, String challenge, String message) {
      super(message);
      this.status = status;
      this.challenge = challenge;
    }
  }

  private String baseUrl(Request request) {
    if (publicBaseUrl != null) return publicBaseUrl;
    HttpURI uri = request.getHttpURI();
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  static void writeProblem(Request request, Response response, Callback callback, int status, String message) {
    writeProblem(request, response, callback, status, message, null);
  }

  private static void writeProblem(Request request, Response response, Callback callback, int status, String message,
      HttpField extraHeader) {
    if (response.isCommitted()) {
      // Headers are gone; the only honest signal left is to abort the response.
      callback.failed(new IllegalStateException(message));
      return;
    }
    try {
      HttpFields crossOriginGrant = CrossOrigin.grantOf(response.getHeaders());
      response.reset();
      // Jetty's error handling keeps the headers it set through a reset: the grant may still be there.
      for (HttpField field : crossOriginGrant) {
        if (!response.getHeaders().contains(field)) response.getHeaders().add(field);
      }
      if (extraHeader != null) response.getHeaders().put(extraHeader);
      // HTTP/2 has no Connection header (RFC 9113 8.2.2): there the stream reset does the same.
      if (!drainBody(request, status) && request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
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
      // A 503 refuses a body that may still be arriving (too many uploads): read it after the answer, threadless.
      // (Not one declared longer than the bound: the connection would be reset all the same.)
      Callback sent = status == 503 && !expectsContinue(request) && request.getLength() <= MAX_DRAIN_BYTES
          ? new LingeringDrain(request, callback, MAX_DRAIN_BYTES) : callback;
      response.write(true, ByteBuffer.wrap(body.toByteArray()), sent);
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  private static boolean expectsContinue(Request request) {
    return request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
  }

  /**
   * Reads and discards what is left of a rejected request's body, up to a bound, so the client
   * gets the answer instead of a reset connection. False when the body was too large to drain.
   */
  private static boolean drainBody(Request request, int status) {
    // Never read a body the client was waiting to be invited to send ("Expect: 100-continue": reading would send
    // the invitation, RFC 9110 10.1.1), nor one that stalled (408), nor one refused because the archive is busy
    // (503: slow uploaders must not hold a thread each while refused; LingeringDrain reads it after the answer,
    // threadless), nor one longer to drain than to resend.
    if (status == 408 || status == 503 || request.getLength() > MAX_DRAIN_BYTES || expectsContinue(request)) {
      return false;
    }
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
