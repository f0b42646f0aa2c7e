package dev.atrium.retrieve;

import dev.atrium.dicom.DecodedFrame;
import dev.atrium.dicom.FrameTransforms;
import dev.atrium.dicom.ImagePixels;
import dev.atrium.dicom.Lut;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongToDoubleFunction;

/**
 * The grayscale pipeline of PS3.4 N.2.1 for one frame: stored value → Modality LUT (rescale or
 * Modality LUT Sequence) → VOI (the requested window; else the instance's first window with its
 * VOI LUT Function; else its VOI LUT Sequence; else a window over the frame's own value range) →
 * MONOCHROME1 inversion → 8-bit output. With up to 16 bits stored the chain is evaluated once per
 * possible stored value into a table.
 */
final class GrayscaleRendering {
  private static final int TABLE_BITS = 16;

  private GrayscaleRendering() {}

  static BufferedImage render(DecodedFrame frame, ImagePixels pixels, FrameTransforms transforms,
      RenderRequest.Window requested) {
    StoredValues stored = new StoredValues(frame.sampleShift(), pixels.bitsStored(), pixels.signed());
    LongToDoubleFunction modality = modality(transforms);
    Raster raster = frame.raster();
    int w = raster.getWidth();
    int h = raster.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster target = out.getRaster();
    int[] row = new int[w];
    if (pixels.bitsStored() <= TABLE_BITS) {
      int size = 1 << pixels.bitsStored();
      double[] values = new double[size];
      for (int raw = 0; raw < size; raw++) values[raw] = modality.applyAsDouble(stored.signExtend(raw));
      DoubleUnaryOperator voi = voi(transforms, requested, () -> rangeOfPresent(raster, stored, values));
      int[] table = new int[size];
      for (int raw = 0; raw < size; raw++) table[raw] = output(voi.applyAsDouble(values[raw]), pixels.isInverted());
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) row[x] = table[(int) stored.raw(row[x])];
        target.setSamples(0, y, w, 1, 0, row);
      }
      return out;
    }
    DoubleUnaryOperator voi = voi(transforms, requested, () -> rangeOfAll(raster, stored, modality));
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        double value = modality.applyAsDouble(stored.signExtend(stored.raw(row[x])));
        row[x] = output(voi.applyAsDouble(value), pixels.isInverted());
      }
      target.setSamples(0, y, w, 1, 0, row);
    }
    return out;
  }

  private static int output(double fraction, boolean inverted) {
    double f = Math.max(0, Math.min(1, fraction));
    return (int) Math.round((inverted ? 1 - f : f) * 255);
  }

  private static LongToDoubleFunction modality(FrameTransforms t) {
    Lut lut = t.modalityLut();
    if (lut != null) return v -> lut.lookup(v);
    double slope = t.rescaleSlope();
    double intercept = t.rescaleIntercept();
    return v -> v * slope + intercept;
  }

  /** The VOI step, as a map from modality value to a fraction of the output range. */
  private static DoubleUnaryOperator voi(FrameTransforms t, RenderRequest.Window requested, RangeSupplier range) {
    if (requested != null) return window(requested);
    VoiFunction function = t.voiLutFunction() == null ? VoiFunction.LINEAR
        : VoiFunction.byName(t.voiLutFunction()).orElse(VoiFunction.LINEAR);
    for (FrameTransforms.WindowSetting setting : t.windows()) {
      if (setting.width() >= function.minimumWidth() && Double.isFinite(setting.center())
          && Double.isFinite(setting.width())) {
        return window(new RenderRequest.Window(setting.center(), setting.width(), function));
      }
    }
    Lut lut = t.voiLut();
    if (lut != null) return v -> (double) lut.lookup(v) / lut.maxOutput();
    double[] minMax = range.get();
    double width = Math.max(minMax[1] - minMax[0], 1);
    return window(new RenderRequest.Window((minMax[0] + minMax[1]) / 2, width, VoiFunction.LINEAR_EXACT));
  }

  private static DoubleUnaryOperator window(RenderRequest.Window w) {
    return v -> w.function().apply(v, w.center(), w.width());
  }

  private interface RangeSupplier {
    double[] get();
  }

  private static double[] rangeOfPresent(Raster raster, StoredValues stored, double[] values) {
    boolean[] present = new boolean[values.length];
    int[] row = new int[raster.getWidth()];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(0, y, row.length, 1, 0, row);
      for (int sample : row) present[(int) stored.raw(sample)] = true;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int raw = 0; raw < values.length; raw++) {
      if (!present[raw]) continue;
      min = Math.min(min, values[raw]);
      max = Math.max(max, values[raw]);
    }
    return new double[] {min, max};
  }

  private static double[] rangeOfAll(Raster raster, StoredValues stored, LongToDoubleFunction modality) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int[] row = new int[raster.getWidth()];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(0, y, row.length, 1, 0, row);
      for (int sample : row) {
        double v = modality.applyAsDouble(stored.signExtend(stored.raw(sample)));
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return new double[] {min, max};
  }
}
