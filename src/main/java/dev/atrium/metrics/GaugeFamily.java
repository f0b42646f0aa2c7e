package dev.atrium.metrics;

import java.io.IOException;
import java.util.List;
import java.util.function.DoubleSupplier;

/** A value read at each scrape (free space, heap in use, associations open). */
final class GaugeFamily extends MetricFamily {
  private final DoubleSupplier value;

  GaugeFamily(String name, String help, DoubleSupplier value) {
    super(name, help, "gauge");
    this.value = value;
  }

  @Override
  void writeSamples(Appendable out) throws IOException {
    double current;
    try {
      current = value.getAsDouble();
    } catch (RuntimeException e) {
      return; // a gauge that cannot be read now (a disk gone) is left out, not the whole scrape failed
    }
    if (!Double.isNaN(current)) sample(out, name(), List.of(), List.of(), null, null, current);
  }
}
