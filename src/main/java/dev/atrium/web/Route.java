package dev.atrium.web;

import java.util.regex.Pattern;

/** A method and path pattern (named groups capture UIDs) and what serves it. */
record Route(String method, Pattern path, Endpoint endpoint) {

  /** Serves one matched request; throws {@link HttpProblem} for client errors. */
  interface Endpoint {
    void serve(Exchange exchange) throws Exception;
  }

  /** UIDs are captured loosely here and validated by the capability, which reports what is wrong. */
  static final String UID = "[^/]+";

  static Route of(String method, String pathRegex, Endpoint endpoint) {
    return new Route(method, Pattern.compile(pathRegex), endpoint);
  }
}
