package dev.atrium.dicom;

import com.pixelmed.dicom.CompressedFrameDecoder;
import com.pixelmed.dicom.DicomException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Turns one frame's bytes into samples: native Pixel Data is wrapped as it lies (PS3.5 8.1.1,
 * planar configuration of PS3.3 C.7.6.3.1.3), compressed frames go through PixelMed's
 * {@link CompressedFrameDecoder}, which finds its codecs through ImageIO (JPEG baseline from the
 * JDK, JPEG lossless from PixelMed's reader, JPEG 2000 from jai-imageio); RLE, at any bit depth,
 * is decoded by {@link RleDecoder}.
 */
final class FrameDecoder {
  static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
  static final String RLE = "1.2.840.10008.1.2.5";
  private static final Set<String> NATIVE = Set.of(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN,
      SopClasses.EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN);
  /** Encapsulated syntaxes (PS3.5 A.4) a codec here decodes; others are refused by name. */
  private static final Set<String> DECODABLE = Set.of(
      "1.2.840.10008.1.2.4.50", // JPEG Baseline (Process 1)
      "1.2.840.10008.1.2.4.51", // JPEG Extended (Process 2 & 4): 8-bit only (the JDK's reader)
      "1.2.840.10008.1.2.4.57", // JPEG Lossless (Process 14)
      "1.2.840.10008.1.2.4.70", // JPEG Lossless SV1
      "1.2.840.10008.1.2.4.90", // JPEG 2000 lossless
      "1.2.840.10008.1.2.4.91", // JPEG 2000
      RLE);

  private FrameDecoder() {}

  static boolean isNative(String transferSyntax) {
    return NATIVE.contains(transferSyntax);
  }

  /** Throws, naming the syntax, when no codec here can decode it. */
  static void requireCodec(ImagePixels pixels) throws NotRenderableException {
    String ts = pixels.transferSyntaxUid();
    boolean twelveBitJpeg = ts.equals("1.2.840.10008.1.2.4.51") && pixels.bitsAllocated() > 8;
    if (!isNative(ts) && (!DECODABLE.contains(ts) || twelveBitJpeg)) {
      throw new NotRenderableException("no codec here decodes Pixel Data in transfer syntax " + ts
          + (twelveBitJpeg ? " with more than 8 bits" : "") + " (JPEG baseline, 8-bit extended and lossless, "
          + "JPEG 2000, RLE and uncompressed are rendered)");
    }
  }

  static DecodedFrame decodeNative(ImagePixels p, byte[] bytes) {
    boolean bigEndian = p.transferSyntaxUid().equals(EXPLICIT_VR_BIG_ENDIAN);
    boolean ybr422 = p.photometricInterpretation().equals("YBR_FULL_422");
    return wrap(p, bytes, bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
        p.planarConfiguration() == 1 && !ybr422, ybr422);
  }

  /** RLE frames decode to colour-by-plane little endian samples (PS3.5 G.2). */
  static DecodedFrame decodeRle(ImagePixels p, byte[] frame) throws NotRenderableException {
    byte[] samples = RleDecoder.decode(frame, p.rows(), p.columns(), p.samplesPerPixel(), p.bitsAllocated() / 8);
    return wrap(p, samples, ByteOrder.LITTLE_ENDIAN, true, false);
  }

  /** Stored samples as a raster, without copying 8-bit data. */
  private static DecodedFrame wrap(ImagePixels p, byte[] bytes, ByteOrder order, boolean planar, boolean ybr422) {
    DataBuffer data = switch (p.bitsAllocated()) {
      case 8 -> new DataBufferByte(bytes, bytes.length);
      case 16 -> {
        short[] s = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(order).asShortBuffer().get(s);
        yield new DataBufferUShort(s, s.length);
      }
      default -> {
        int[] i = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(order).asIntBuffer().get(i);
        yield new DataBufferInt(i, i.length);
      }
    };
    if (ybr422) data = expand422(data, p.rows(), p.columns());
    int w = p.columns();
    int h = p.rows();
    int bands = p.samplesPerPixel();
    boolean byPlane = planar && bands > 1;
    int[] bandOffsets = new int[bands];
    for (int b = 0; b < bands; b++) bandOffsets[b] = byPlane ? b * w * h : b;
    ComponentSampleModel model = byPlane ? new ComponentSampleModel(data.getDataType(), w, h, 1, w, bandOffsets)
        : new ComponentSampleModel(data.getDataType(), w, h, bands, w * bands, bandOffsets);
    return new DecodedFrame(Raster.createRaster(model, data, null), p.highBit() + 1 - p.bitsStored(),
        colorOf(p, false));
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

  static DecodedFrame decodeCompressed(ImagePixels p, byte[] frame) throws NotRenderableException, IOException {
    int bytesPerSample = p.bitsAllocated() > 8 ? 2 : 1;
    ColorSpace space = ColorSpace.getInstance(p.samplesPerPixel() == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    try {
      CompressedFrameDecoder decoder = new CompressedFrameDecoder(p.transferSyntaxUid(), bytesPerSample, p.columns(),
          p.rows(), p.samplesPerPixel(), space);
      BufferedImage image = decoder.getDecompressedFrameAsBufferedImage(frame);
      if (image == null || image.getWidth() != p.columns() || image.getHeight() != p.rows()
          || image.getRaster().getNumBands() != p.samplesPerPixel()) {
        throw new NotRenderableException("the " + p.transferSyntaxUid() + " codec gave no image of " + p.columns()
            + "x" + p.rows() + " with " + p.samplesPerPixel() + " samples for this frame");
      }
      return new DecodedFrame(image.getRaster(), 0, colorOf(p, decoder.getColorSpaceConvertedToRGBDuringDecompression()));
    } catch (DicomException e) {
      throw new NotRenderableException("the frame cannot be decoded from transfer syntax " + p.transferSyntaxUid()
          + ": " + e.getMessage(), e);
    }
  }

  /** JPEG 2000's multi-component transform (YBR_RCT, YBR_ICT) is undone by the codec (PS3.5 8.2.4). */
  private static DecodedFrame.Color colorOf(ImagePixels p, boolean codecMadeRgb) {
    if (p.isMonochrome()) return DecodedFrame.Color.GRAYSCALE;
    if (p.palette() != null) return DecodedFrame.Color.PALETTE;
    String photometric = p.photometricInterpretation();
    if (codecMadeRgb || photometric.equals("RGB") || photometric.startsWith("YBR_RCT")
        || photometric.startsWith("YBR_ICT")) {
      return DecodedFrame.Color.RGB;
    }
    return DecodedFrame.Color.YBR_FULL;
  }
}
