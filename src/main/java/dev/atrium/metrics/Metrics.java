package dev.atrium.metrics;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The archive's counters, histograms and gauges, each registered once by the component that owns it, and written
 * in the Prometheus text exposition format (version 0.0.4) for GET /metrics: what a hospital's monitoring scrapes
 * to see ingest, traffic, failures and free space. One registry per running archive, never a static one.
 */
public final class Metrics {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private final List<MetricFamily> families = new CopyOnWriteArrayList<>();

  /** A counter with these label names (a value per combination of label values). */
  public CounterFamily counter(String name, String help, String... labelNames) {
    return register(new CounterFamily(checked(name), help, List.of(labelNames)));
  }

  /** A histogram of seconds, with these bucket upper bounds (ascending) and label names. */
  public HistogramFamily histogram(String name, String help, double[] buckets, String... labelNames) {
    return register(new HistogramFamily(checked(name), help, buckets.clone(), List.of(labelNames)));
  }

  /** A value read when scraped. */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(new GaugeFamily(checked(name), help, value));
  }

  /** Every family, in the order registered. */
  public void writeTo(Appendable out) throws IOException {
    for (MetricFamily family : families) family.writeTo(out);
  }

  private <F extends MetricFamily> F register(F family) {
    for (MetricFamily known : families) {
      if (known.name().equals(family.name())) throw new IllegalStateException(family.name() + " is registered twice");
    }
    families.add(family);
    return family;
  }

  private static String checked(String name) {
    if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("not a metric name: " + name);
    return name;
  }
}
