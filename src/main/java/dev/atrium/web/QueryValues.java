package dev.atrium.web;

import java.util.List;
import org.eclipse.jetty.util.Fields;

/** Reading single query parameter values; every fault is a 400 that names the parameter and the value. */
final class QueryValues {
  private QueryValues() {}

  /** The parameter's one value, or null when absent; given twice is a 400. */
  static String single(Fields query, String name) {
    List<String> values = query.getValues(name);
    if (values == null || values.isEmpty()) return null;
    if (values.size() > 1) throw new HttpProblem(400, "query parameter '" + name + "' is given more than once");
    return values.get(0);
  }

  static int integer(String name, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new HttpProblem(400, "query parameter '" + name + "' must be a whole number, not '" + value + "'");
    }
    if (n < min || n > max) {
      throw new HttpProblem(400, "query parameter '" + name + "' must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }

  static double decimal(String name, String value) {
    try {
      double d = Double.parseDouble(value.strip());
      if (Double.isFinite(d)) return d;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpProblem(400, "query parameter '" + name + "' must be a decimal number, not '" + value + "'");
  }

  /** The comma-separated parts of a value, which must number one of {@code counts}. */
  static String[] parts(String name, String value, String syntax, int... counts) {
    String[] parts = value.split(",", -1);
    for (int count : counts) if (parts.length == count) return parts;
    throw new HttpProblem(400, "query parameter '" + name + "' must be " + syntax + ", not '" + value + "'");
  }
}
