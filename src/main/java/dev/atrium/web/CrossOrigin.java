package dev.atrium.web;

import dev.atrium.config.Cors;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * CORS (the Fetch standard, "CORS protocol") for a web viewer served from another origin, such as OHIF. A
 * browser asks first with a preflight (OPTIONS, no credentials) for anything but the simplest GET: DICOMweb's
 * {@code Accept: multipart/related; type="application/dicom"} (its '"' is not CORS-safelisted), an Authorization
 * header, STOW-RS and DELETE all need one. The preflight is answered before authentication, with the same
 * methods and headers for every path (it must not reveal which paths exist, which only an authenticated caller
 * learns). Every other answer to an allowed origin carries Access-Control-Allow-Origin, errors included, so that
 * the viewer can read a 401 and its challenge, or a 404 and its message.
 */
final class CrossOrigin {
  /** Methods of the HTTP surface, all of which a page of an allowed origin may use. */
  private static final String METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH";
  /**
   * Headers Atrium sends beyond the CORS-safelisted ones, for a page to read: QIDO-RS's Warning (PS3.18 8.3.4.4.1:
   * results cut at a limit, unknown attributes ignored), the WWW-Authenticate challenge of a 401 or 403 (RFC 6750 3),
   * the Location of an extended query tag operation, the Allow of a 405.
   */
  private static final String EXPOSED = "Warning, WWW-Authenticate, Location, Allow";
  /** RFC 9110 5.6.2: a field name is a token; nothing else is echoed into Access-Control-Allow-Headers. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final boolean anyOrigin;
  private final Set<String> origins;
  private final String maxAge;

  CrossOrigin(Cors cors) {
    this.origins = new HashSet<>(cors.allowedOrigins());
    this.anyOrigin = origins.contains("*");
    this.maxAge = String.valueOf(cors.maxAgeSeconds());
  }

  /** A CORS preflight request: OPTIONS naming the method the page means to use, from a page's origin. */
  static boolean isPreflight(Request request) {
    HttpFields headers = request.getHeaders();
    return request.getMethod().equals("OPTIONS") && headers.contains(HttpHeader.ORIGIN)
        && headers.contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
  }

  /** Why a preflight is refused (403), or null when it is granted: then its answer's fields are in {@code into}. */
  String grantPreflight(Request request, HttpFields.Mutable into) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origins.isEmpty()) {
      return "cross-origin requests are not enabled: http.cors.allowedOrigins names no origin";
    }
    if (!allows(origin)) {
      return "origin " + origin + " may not make cross-origin requests (it is not in http.cors.allowedOrigins)";
    }
    String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
    StringBuilder allowedHeaders = new StringBuilder();
    if (requested != null) {
      for (String name : requested.split(",")) {
        String field = name.trim();
        if (field.isEmpty()) continue;
        if (!TOKEN.matcher(field).matches()) return "Access-Control-Request-Headers names '" + field
            + "', which is not a header field name";
        allowedHeaders.append(allowedHeaders.length() == 0 ? "" : ", ").append(field);
      }
    }
    // Any origin: "*", the same answer for every page. Else the page's own origin.
    into.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin);
    into.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
    if (allowedHeaders.length() > 0) into.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, allowedHeaders.toString());
    into.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, maxAge);
    // The answer depends on what was asked: a cache must not give one page's grant to another's preflight.
    into.add(HttpHeader.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    return null;
  }

  /** On the answer to an ordinary request: the grant, when its origin is allowed; else none. */
  void grantResponse(Request request, HttpFields.Mutable into) {
    if (origins.isEmpty()) return;
    // Allowed origins named one by one: the answer differs by origin, which a cache must keep apart.
    if (!anyOrigin) into.add(HttpHeader.VARY, "Origin");
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null || !allows(origin)) return;
    into.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin);
    into.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
  }

  /**
   * The CORS fields of a response, to be put back after a reset (an error answered after the grant was added):
   * without them the browser would keep the error and its message from the page.
   */
  static HttpFields grantOf(HttpFields headers) {
    HttpFields.Mutable kept = HttpFields.build();
    for (HttpField field : headers) {
      if (field.getName().regionMatches(true, 0, "Access-Control-", 0, 15) || field.getHeader() == HttpHeader.VARY) {
        kept.add(field);
      }
    }
    return kept;
  }

  private boolean allows(String origin) {
    return anyOrigin || origins.contains(origin);
  }
}
