package dev.atrium.metrics;

import java.io.IOException;
import java.util.List;

/** One metric name with its HELP and TYPE lines and its samples (Prometheus text format 0.0.4). */
abstract class MetricFamily {
  private final String name;
  private final String help;
  private final String type;

  MetricFamily(String name, String help, String type) {
    this.name = name;
    this.help = help;
    this.type = type;
  }

  String name() {
    return name;
  }

  final void writeTo(Appendable out) throws IOException {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    writeSamples(out);
  }

  abstract void writeSamples(Appendable out) throws IOException;

  /** The key of a sample: its label values, as many as the family has label names. */
  final String key(List<String> labelNames, String... labelValues) {
    if (labelValues.length != labelNames.size()) throw new IllegalArgumentException(name + " has labels " + labelNames);
    return String.join("\u0000", labelValues);
  }

  /** name{a="x",b="y"} value, with the label values escaped as the format says (\\, \", \n). */
  static void sample(Appendable out, String name, List<String> labelNames, List<String> labelValues, String extraName,
      String extraValue, double value) throws IOException {
    out.append(name);
    boolean any = !labelNames.isEmpty() || extraName != null;
    if (any) {
      out.append('{');
      for (int i = 0; i < labelNames.size(); i++) {
        if (i > 0) out.append(',');
        label(out, labelNames.get(i), labelValues.get(i));
      }
      if (extraName != null) {
        if (!labelNames.isEmpty()) out.append(',');
        label(out, extraName, extraValue);
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private static void label(Appendable out, String name, String value) throws IOException {
    out.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
        .append('"');
  }

  static String format(double value) {
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (Double.isInfinite(value)) return value > 0 ? "+Inf" : "-Inf";
    return Double.toString(value);
  }
}
