package dev.atrium.dicom;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One frame's native samples, as {@link StoredFrames#decode} gives them (little endian, laid out
 * as its {@link ImagePixels} say), wrapped as a raster for rendering: planar configuration of
 * PS3.3 C.7.6.3.1.3, YBR_FULL_422 expanded to a chrominance pair per pixel, 8-bit data not copied.
 */
final class FrameRaster {
  private FrameRaster() {}

  static DecodedFrame wrap(ImagePixels p, byte[] bytes, int sampleShift) {
    DataBuffer data = switch (p.bitsAllocated()) {
      case 8 -> new DataBufferByte(bytes, bytes.length);
      case 16 -> {
        short[] s = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        yield new DataBufferUShort(s, s.length);
      }
      default -> {
        int[] i = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(i);
        yield new DataBufferInt(i, i.length);
      }
    };
    boolean ybr422 = p.photometricInterpretation().equals("YBR_FULL_422");
    if (ybr422) data = expand422(data, p.rows(), p.columns());
    int w = p.columns();
    int h = p.rows();
    int bands = p.samplesPerPixel();
    boolean byPlane = p.planarConfiguration() == 1 && !ybr422 && bands > 1;
    int[] bandOffsets = new int[bands];
    for (int b = 0; b < bands; b++) bandOffsets[b] = byPlane ? b * w * h : b;
    ComponentSampleModel model = byPlane ? new ComponentSampleModel(data.getDataType(), w, h, 1, w, bandOffsets)
        : new ComponentSampleModel(data.getDataType(), w, h, bands, w * bands, bandOffsets);
    return new DecodedFrame(Raster.createRaster(model, data, null), sampleShift, colorOf(p));
  }

  /**
   * YBR_FULL_422 (PS3.3 C.7.6.3.1.2): each pair of pixels is stored Y1 Y2 Cb Cr; expanded here to
   * Y Cb Cr per pixel, the chrominance shared by both.
   */
  private static DataBuffer expand422(DataBuffer in, int rows, int columns) {
    DataBuffer out = in.getDataType() == DataBuffer.TYPE_BYTE ? new DataBufferByte(rows * columns * 3)
        : new DataBufferUShort(rows * columns * 3);
    int pixels = rows * columns;
    for (int pixel = 0, at = 0; pixel < pixels && at + 3 < in.getSize(); pixel += 2, at += 4) {
      int cb = in.getElem(at + 2);
      int cr = in.getElem(at + 3);
      for (int k = 0; k < 2 && pixel + k < pixels; k++) {
        out.setElem((pixel + k) * 3, in.getElem(at + k));
        out.setElem((pixel + k) * 3 + 1, cb);
        out.setElem((pixel + k) * 3 + 2, cr);
      }
    }
    return out;
  }

  /** A codec's own colour conversion shows in the decoded photometric interpretation (RGB). */
  private static DecodedFrame.Color colorOf(ImagePixels p) {
    if (p.isMonochrome()) return DecodedFrame.Color.GRAYSCALE;
    String photometric = p.photometricInterpretation();
    if (photometric.equals("PALETTE COLOR")) return DecodedFrame.Color.PALETTE;
    if (photometric.equals("RGB") || photometric.startsWith("YBR_RCT") || photometric.startsWith("YBR_ICT")) {
      return DecodedFrame.Color.RGB;
    }
    return DecodedFrame.Color.YBR_FULL;
  }
}
