package dev.atrium.retrieve;

import java.util.Locale;
import java.util.Optional;

/**
 * The VOI LUT Functions of PS3.3 C.11.2.1.2 and C.11.2.1.3, mapping a modality value x through a
 * window (center c, width w) to a fraction of the output range [0, 1].
 */
public enum VoiFunction {
  /** C.11.2.1.2.1: the window's edges at c − 0.5 ± (w − 1)/2; needs w ≥ 1. */
  LINEAR(1) {
    @Override
    double apply(double x, double c, double w) {
      if (x <= c - 0.5 - (w - 1) / 2) return 0;
      if (x > c - 0.5 + (w - 1) / 2) return 1;
      return (x - (c - 0.5)) / (w - 1) + 0.5;
    }
  },
  /** C.11.2.1.3.2: exactly c ± w/2; needs w > 0. */
  LINEAR_EXACT(Double.MIN_VALUE) {
    @Override
    double apply(double x, double c, double w) {
      if (x <= c - w / 2) return 0;
      if (x > c + w / 2) return 1;
      return (x - c) / w + 0.5;
    }
  },
  /** C.11.2.1.3.1: 1 / (1 + e^(−4 (x − c) / w)); needs w > 0. */
  SIGMOID(Double.MIN_VALUE) {
    @Override
    double apply(double x, double c, double w) {
      return 1 / (1 + Math.exp(-4 * (x - c) / w));
    }
  };

  private final double minimumWidth;

  VoiFunction(double minimumWidth) {
    this.minimumWidth = minimumWidth;
  }

  abstract double apply(double x, double c, double w);

  /** The smallest width the function is defined for. */
  public double minimumWidth() {
    return minimumWidth;
  }

  /** The function's name as PS3.18 8.3.5.1.4 writes it ("linear", "linear-exact", "sigmoid"). */
  public String parameterName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** By the PS3.18 parameter name or the VOI LUT Function (0028,1056) value ("LINEAR_EXACT"). */
  public static Optional<VoiFunction> byName(String name) {
    String normalized = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (VoiFunction f : values()) if (f.name().equals(normalized)) return Optional.of(f);
    return Optional.empty();
  }
}
