package dev.atrium.metrics;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** A counter per combination of label values; only ever goes up. */
public final class CounterFamily extends MetricFamily {
  private final List<String> labelNames;
  private final Map<String, Sample> samples = new ConcurrentSkipListMap<>();

  CounterFamily(String name, String help, List<String> labelNames) {
    super(name, help, "counter");
    this.labelNames = labelNames;
  }

  /** Adds one for these label values (as many as the family has label names). */
  public void increment(String... labelValues) {
    add(1, labelValues);
  }

  public void add(long amount, String... labelValues) {
    labels(labelValues).add(amount);
  }

  /** The count of these label values, for a caller that counts them often (no lookup per increment). */
  public LongAdder labels(String... labelValues) {
    return samples.computeIfAbsent(key(labelNames, labelValues), key -> new Sample(List.of(labelValues))).count;
  }

  @Override
  void writeSamples(Appendable out) throws IOException {
    for (Sample sample : samples.values()) {
      sample(out, name(), labelNames, sample.labelValues, null, null, sample.count.sum());
    }
  }

  private record Sample(List<String> labelValues, LongAdder count) {
    Sample(List<String> labelValues) {
      this(labelValues, new LongAdder());
    }
  }
}
