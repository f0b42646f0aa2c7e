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

  double quality() {
    try {
      return parameters.containsKey("q") ? Double.parseDouble(parameters.get("q")) : 1.0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  boolean is(String other) {
    return type.equals(other);
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
