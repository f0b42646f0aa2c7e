package dev.atrium.web;

import dev.atrium.audit.AuditEvent;
import dev.atrium.audit.AuditEvent.Kind;
import dev.atrium.audit.AuditEvent.Outcome;
import dev.atrium.audit.AuditTrail;
import dev.atrium.security.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;

/**
 * What the audit trail records of HTTP traffic (PS3.15 A.5.3): which event each request is, by
 * method and path, and the authentication events. Paths that touch no PHI (health, extended
 * query tag definitions, operations) are not recorded.
 */
final class HttpAudit {
  private static final Pattern QIDO = Pattern.compile(
      "/dicom-web(/studies(/[^/]+(/series(/[^/]+/instances)?|/instances))?|/series|/instances)");
  private static final Pattern ACCESSED = Pattern.compile("/dicom-web/studies/.*/(metadata|rendered|thumbnail)");
  private static final Pattern CHANGE_FEED = Pattern.compile("/dicom-web(/v2)?/changefeed(/latest)?");
  private static final Pattern STUDY_IN_PATH = Pattern.compile("/dicom-web/studies/([^/]+)");
  private static final Pattern STUDY_IN_WADO_URI = Pattern.compile("(?:^|&)studyUID=([^&]+)");
  private static final int REMEMBERED_TOKENS = 10_000;

  private final AuditTrail trail;
  /** Tokens already logged in with (by hash): one User Authentication record per token, not per request. */
  private final Map<String, Boolean> seenTokens = Collections.synchronizedMap(
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_TOKENS;
        }
      });

  HttpAudit(AuditTrail trail) {
    this.trail = trail;
  }

  void authenticated(Principal principal, String authorization, Request request) {
    if (authorization == null || seenTokens.put(hash(authorization), Boolean.TRUE) != null) return;
    trail.record(AuditEvent.of(Kind.LOGIN, Outcome.SUCCESS, principal.name(), address(request), null, null, null,
        "bearer token accepted"));
  }

  /** A missing or bad token: a failed User Authentication, and for a bad one a Security Alert too. */
  void tokenRejected(Request request, boolean tokenPresent, String reason) {
    trail.record(AuditEvent.of(Kind.LOGIN, Outcome.MINOR_FAILURE, "unknown", address(request), null, null, null,
        reason));
    if (tokenPresent) {
      trail.record(AuditEvent.of(Kind.RESTRICTED_FUNCTION_ALERT, Outcome.MINOR_FAILURE, "unknown",
          address(request), null, null, null, "rejected bearer token: " + reason));
    }
  }

  void forbidden(Principal principal, Request request, String partition, String reason) {
    trail.record(AuditEvent.of(Kind.RESTRICTED_FUNCTION_ALERT, Outcome.MINOR_FAILURE, principal.name(),
        address(request), partition, null, null, request.getMethod() + " " + request.getHttpURI().getPath()
            + ": " + reason));
  }

  /** After a request was served (or failed): its PHI access event, if it is one. */
  void served(Request request, String path, Exchange exchange, int status) {
    Kind kind = kind(request.getMethod(), path);
    if (kind == null) return;
    String query = request.getHttpURI().getQuery();
    List<String> studies = new ArrayList<>();
    Matcher inPath = STUDY_IN_PATH.matcher(path);
    if (inPath.lookingAt()) studies.add(inPath.group(1));
    if (path.equals("/wado") && query != null) {
      Matcher inQuery = STUDY_IN_WADO_URI.matcher(query);
      if (inQuery.find()) studies.add(inQuery.group(1));
    }
    if (exchange != null) {
      for (String study : exchange.auditedStudies()) if (!studies.contains(study)) studies.add(study);
    }
    String queryText = kind == Kind.QUERY ? path + (query == null ? "" : "?" + query) : null;
    trail.record(AuditEvent.of(kind, Outcome.ofHttpStatus(status), exchange == null ? "unknown"
            : exchange.principal().name(), address(request), exchange == null ? null : exchange.partition(), studies,
        queryText, request.getMethod() + " " + request.getHttpURI().getPath() + " -> " + status)
        .withPatients(exchange == null ? List.of() : exchange.auditedPatients()));
  }

  private static Kind kind(String method, String path) {
    switch (method) {
      case "POST":
      case "PUT":
        return path.startsWith("/dicom-web/studies") ? Kind.INSTANCES_STORED : null;
      case "DELETE":
        return path.startsWith("/dicom-web/studies/") ? Kind.STUDY_DELETED : null;
      case "GET":
      case "HEAD":
        if (QIDO.matcher(path).matches() || CHANGE_FEED.matcher(path).matches()) return Kind.QUERY;
        if (ACCESSED.matcher(path).matches()) return Kind.INSTANCES_ACCESSED;
        if (path.startsWith("/dicom-web/studies/") || path.equals("/wado")) {
          // A HEAD transfers nothing, but tells the caller what exists: accessed (PS3.15 A.5.3.2), not transferred.
          return method.equals("HEAD") ? Kind.INSTANCES_ACCESSED : Kind.INSTANCES_RETRIEVED;
        }
        return null;
      default:
        return null;
    }
  }

  private static String address(Request request) {
    return Request.getRemoteAddr(request);
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
