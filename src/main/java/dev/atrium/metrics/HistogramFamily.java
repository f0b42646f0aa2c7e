package dev.atrium.metrics;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Observed durations per combination of label values, in cumulative buckets with their sum and count. */
public final class HistogramFamily extends MetricFamily {
  private final double[] bounds;
  private final List<String> labelNames;
  private final Map<String, Sample> samples = new ConcurrentSkipListMap<>();

  HistogramFamily(String name, String help, double[] bounds, List<String> labelNames) {
    super(name, help, "histogram");
    for (int i = 1; i < bounds.length; i++) {
      if (bounds[i] <= bounds[i - 1]) throw new IllegalArgumentException(name + ": buckets must ascend");
    }
    this.bounds = bounds;
    this.labelNames = labelNames;
  }

  public void observe(double seconds, String... labelValues) {
    Sample sample = samples.computeIfAbsent(key(labelNames, labelValues),
        key -> new Sample(List.of(labelValues), bounds.length));
    int bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]) bucket++;
    sample.buckets[bucket].increment(); // the last one is +Inf
    sample.sum.add(seconds);
  }

  @Override
  void writeSamples(Appendable out) throws IOException {
    for (Sample sample : samples.values()) {
      long cumulative = 0;
      for (int i = 0; i <= bounds.length; i++) {
        cumulative += sample.buckets[i].sum();
        sample(out, name() + "_bucket", labelNames, sample.labelValues, "le",
            i < bounds.length ? format(bounds[i]) : "+Inf", cumulative);
      }
      sample(out, name() + "_sum", labelNames, sample.labelValues, null, null, sample.sum.sum());
      sample(out, name() + "_count", labelNames, sample.labelValues, null, null, cumulative);
    }
  }

  private static final class Sample {
    final List<String> labelValues;
    final LongAdder[] buckets;
    final DoubleAdder sum = new DoubleAdder();

    Sample(List<String> labelValues, int bounds) {
      this.labelValues = labelValues;
      this.buckets = new LongAdder[bounds + 1];
      for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }
  }
}
