package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Typed access to the YAML tree by dotted path, with messages that name the key. */
final class ConfigReader {
  private final JsonNode root;

  ConfigReader(JsonNode root) {
    this.root = root;
  }

  String text(String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) node = node.path(part);
    if (node.isMissingNode() || node.isNull()) throw new ConfigException("missing configuration key " + path);
    return node.asText();
  }

  /** A key that may be empty or absent: then {@code fallback}. */
  String textOr(String path, String fallback) {
    JsonNode node = root;
    for (String part : path.split("\\.")) node = node.path(part);
    return node.isMissingNode() || node.isNull() || node.asText().isBlank() ? fallback : node.asText().trim();
  }

  /** A comma-separated list (so an environment variable can set it), or a YAML sequence. */
  static java.util.List<String> list(JsonNode node) {
    java.util.List<String> items = new java.util.ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> items.add(item.asText().trim()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      for (String item : node.asText().split(",")) items.add(item.trim());
    }
    items.removeIf(String::isEmpty);
    return items;
  }

  long positiveLong(String path) {
    return number(path, text(path), 1, Long.MAX_VALUE, "a positive integer");
  }

  long nonNegativeLong(String path) {
    return number(path, text(path), 0, Long.MAX_VALUE, "an integer of at least 0");
  }

  int positiveInt(String path) {
    return (int) number(path, text(path), 1, Integer.MAX_VALUE, "a positive integer");
  }

  /**
   * true or false, any case; {@code fallback} when absent or empty. Anything else is an error, not false: a
   * mistyped "yes" must not switch authentication off.
   */
  boolean bool(String path, boolean fallback) {
    return bool(path, textOr(path, String.valueOf(fallback)));
  }

  /** As {@link #bool(String, boolean)}, for a value read from a node below a map key (which may hold dots). */
  static boolean bool(String path, JsonNode node, boolean fallback) {
    return bool(path, node.isMissingNode() || node.isNull() || node.asText().isBlank() ? String.valueOf(fallback)
        : node.asText());
  }

  private static boolean bool(String path, String text) {
    String value = text.trim();
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new ConfigException(path + " must be true or false, not '" + value + "'");
  }

  /** 0 is allowed: bind an ephemeral port (tests). */
  int port(String path) {
    return (int) number(path, text(path), 0, 65535, "a TCP port");
  }

  /** An optional whole number of at least {@code min}; {@code fallback} when absent or empty. */
  int intOr(String path, int fallback, int min) {
    return (int) number(path, textOr(path, String.valueOf(fallback)), min, Integer.MAX_VALUE,
        "a whole number of at least " + min);
  }

  private static long number(String path, String value, long min, long max, String what) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(path + " must be " + what + ", not '" + value + "'");
  }

  /** PS3.5 AE VR: 1-16 characters, no backslash or control characters, not all spaces. */
  String aeTitle(String path) {
    String value = text(path).trim();
    if (value.isEmpty() || value.length() > 16 || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '\\')) {
      throw new ConfigException(path + " is not a valid AE title: '" + value + "'");
    }
    return value;
  }

  AtriumConfig.DuplicatePolicy duplicatePolicy(String path) {
    String value = text(path);
    try {
      return AtriumConfig.DuplicatePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path + " must be reject, ignore or overwrite, not '" + value + "'");
    }
  }
}
