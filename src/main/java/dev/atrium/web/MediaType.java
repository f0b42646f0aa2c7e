package dev.atrium.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A media type with parameters (RFC 9110 8.3.1), as in Content-Type and each Accept entry. */
record MediaType(String type, Map<String, String> parameters) {

  static MediaType parse(String text) {
    List<String> pieces = splitOutsideQuotes(text, ';');
    String type = pieces.get(0).trim().toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String piece : pieces.subList(1, pieces.size())) {
      int eq = piece.indexOf('=');
      if (eq <= 0) continue;
      String value = piece.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      parameters.put(piece.substring(0, eq).trim().toLowerCase(Locale.ROOT), value);
    }
    return new MediaType(type, parameters);
  }

  /** An Accept header: its media ranges, in the order given. */
  static List<MediaType> parseList(String header) {
    List<MediaType> types = new ArrayList<>();
    if (header == null || header.isBlank()) return types;
    for (String entry : splitOutsideQuotes(header, ',')) {
      if (!entry.isBlank()) types.add(parse(entry));
    }
    return types;
  }

  String parameter(String name) {
    return parameters.get(name);
  }

  /** The q value (RFC 9110 12.4.2); a malformed one counts as 0, "not acceptable". */
  double quality() {
    try {
      double q = parameters.containsKey("q") ? Double.parseDouble(parameters.get("q")) : 1.0;
      return q >= 0 && q <= 1 ? q : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  boolean is(String other) {
    return type.equals(other);
  }

  /** Whether this range covers the concrete type {@code other}: equal, "*&#47;*" or "image/*"-style. */
  boolean covers(String other) {
    if (type.equals(other) || type.equals("*/*")) return true;
    return type.endsWith("/*") && other.startsWith(type.substring(0, type.length() - 1));
  }

  /** A wildcard range ("*&#47;*", "image/*"). */
  boolean isWildcard() {
    return type.endsWith("/*");
  }

  /**
   * For a multipart range (multipart/related, or multipart/* and *&#47;*, which cover it): the
   * type of its parts, "*&#47;*" when it names none (PS3.18 8.7.3.3); null for a single-part range.
   */
  MediaType partType() {
    if (!type.equals("multipart/related") && !type.equals("multipart/*") && !type.equals("*/*")) return null;
    String part = parameters.get("type");
    return part == null || part.isBlank() ? parse("*/*") : parse(part);
  }

  /** The transfer-syntax parameter (PS3.18 8.7.3.5.2), from the range or its part type; null when absent. */
  String transferSyntax() {
    String syntax = parameters.get("transfer-syntax");
    if (syntax != null) return syntax.trim();
    String part = parameters.get("type");
    return part == null ? null : parse(part).parameters().get("transfer-syntax");
  }

  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (c == separator && !quoted) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }
}
