package dev.atrium.web;

import java.util.regex.Pattern;

/**
 * A method and path pattern (named groups capture UIDs) and what serves it; {@code template} names the pattern for
 * monitoring ({@code /dicom-web/studies/{study}/metadata}), the same whatever UIDs and partition a request names.
 */
record Route(String method, Pattern path, String template, Endpoint endpoint) {
  /** The request attribute under which the router leaves the template of the route that served a request. */
  static final String TEMPLATE_ATTRIBUTE = "atrium.route";

  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<(\\w+)>[^()]*\\)");
  private static final Pattern OPTIONAL_GROUP = Pattern.compile("\\(([^()?]*)\\)\\?");

  /** Serves one matched request; throws {@link HttpProblem} for client errors. */
  interface Endpoint {
    void serve(Exchange exchange) throws Exception;
  }

  /** UIDs are captured loosely here and validated by the capability, which reports what is wrong. */
  static final String UID = "[^/]+";

  static Route of(String method, String pathRegex, Endpoint endpoint) {
    return new Route(method, Pattern.compile(pathRegex), template(pathRegex), endpoint);
  }

  /** {@code (?<study>[^/]+)} becomes {@code {study}}, and an optional {@code (/v2)?} becomes {@code [/v2]}. */
  static String template(String pathRegex) {
    String named = NAMED_GROUP.matcher(pathRegex).replaceAll("{$1}");
    return OPTIONAL_GROUP.matcher(named).replaceAll("[$1]");
  }
}
