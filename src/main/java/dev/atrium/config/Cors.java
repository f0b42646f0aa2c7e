package dev.atrium.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which web origins may read the archive's HTTP answers in a browser (the Fetch standard's CORS protocol):
 * {@code allowedOrigins} are serialized origins (scheme://host[:port]) or "*" for any; empty: none.
 */
public record Cors(List<String> allowedOrigins, int maxAgeSeconds) {
  public static final Cors NONE = new Cors(List.of(), 600);

  public Cors {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /**
   * Checked at startup: an origin as a browser never sends it ("http://viewer/" with its slash, a path, no scheme)
   * would match nothing, and the viewer would fail with nothing in the archive's log to say why.
   */
  static Cors of(List<String> allowedOrigins, int maxAgeSeconds) {
    for (String origin : allowedOrigins) {
      if (!origin.equals("*") && !isOrigin(origin)) {
        throw new ConfigException("http.cors.allowedOrigins: '" + origin + "' is not an origin as browsers send it: "
            + "scheme://host or scheme://host:port, in lower case, without a path or a final '/' (or * for any)");
      }
    }
    return new Cors(allowedOrigins, maxAgeSeconds);
  }

  public boolean enabled() {
    return !allowedOrigins.isEmpty();
  }

  private static boolean isOrigin(String text) {
    try {
      URI uri = new URI(text);
      return uri.getScheme() != null && uri.getHost() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
          && uri.getRawFragment() == null && uri.getRawUserInfo() == null && text.equals(text.toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
