package dev.atrium.retrieve;

import dev.atrium.dicom.DecodedFrame;
import dev.atrium.dicom.ImagePixels;
import dev.atrium.dicom.Lut;
import dev.atrium.dicom.Palette;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Colour frames to 8-bit RGB (PS3.4 N.2.3: no Modality or VOI LUT applies to colour): RGB as
 * stored, YBR_FULL converted with the equations of PS3.3 C.7.6.3.1.2, PALETTE COLOR looked up
 * in its three tables (C.7.6.3.1.5). Samples wider than 8 bits keep their top 8.
 */
final class ColorRendering {
  private ColorRendering() {}

  static BufferedImage render(DecodedFrame frame, ImagePixels pixels, Palette palette) {
    Raster raster = frame.raster();
    int w = raster.getWidth();
    int h = raster.getHeight();
    StoredValues stored = new StoredValues(frame.sampleShift(), pixels.bitsStored(), pixels.signed());
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[w];
    int[][] bands = new int[raster.getNumBands()][w];
    for (int y = 0; y < h; y++) {
      for (int b = 0; b < bands.length; b++) raster.getSamples(0, y, w, 1, b, bands[b]);
      for (int x = 0; x < w; x++) {
        rgb[x] = switch (frame.color()) {
          case PALETTE -> palette(palette, stored.signExtend(stored.raw(bands[0][x])));
          case YBR_FULL -> ybrFull(stored.toByte(bands[0][x], pixels.bitsStored()),
              stored.toByte(bands[1][x], pixels.bitsStored()), stored.toByte(bands[2][x], pixels.bitsStored()));
          default -> pack(stored.toByte(bands[0][x], pixels.bitsStored()),
              stored.toByte(bands[1][x], pixels.bitsStored()), stored.toByte(bands[2][x], pixels.bitsStored()));
        };
      }
      out.setRGB(0, y, w, 1, rgb, 0, w);
    }
    return out;
  }

  private static int palette(Palette palette, long index) {
    return pack(entry(palette.red(), index), entry(palette.green(), index), entry(palette.blue(), index));
  }

  private static int entry(Lut lut, long index) {
    int value = lut.lookup(index);
    return lut.bits() > 8 ? value >>> (lut.bits() - 8) : value;
  }

  /** PS3.3 C.7.6.3.1.2, inverted: R = Y + 1.402 (Cr − 128), G = Y − 0.3441 (Cb − 128) − 0.7141 (Cr − 128), B = Y + 1.772 (Cb − 128). */
  private static int ybrFull(int y, int cb, int cr) {
    double r = y + 1.402 * (cr - 128);
    double g = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128);
    double b = y + 1.772 * (cb - 128);
    return pack(clamp(r), clamp(g), clamp(b));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static int pack(int r, int g, int b) {
    return (r & 0xFF) << 16 | (g & 0xFF) << 8 | (b & 0xFF);
  }
}
