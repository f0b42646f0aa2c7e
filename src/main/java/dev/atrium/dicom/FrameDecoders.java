package dev.atrium.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The codecs that turn one compressed frame into native pixels (little endian, color-by-pixel):
 * RLE, JPEG-LS and 12-bit lossy JPEG of one component by our own decoders (no Java codec for them is on Maven
 * Central or in Debian); JPEG baseline/extended 8-bit by the JDK's reader; JPEG lossless by PixelMed's
 * (com.pixelmed.imageio, Debian libpixelmed-imageio-java); JPEG 2000 by jai-imageio-jpeg2000. 12-bit lossy colour JPEG
 * and HTJ2K have no codec here.
 */
final class FrameDecoders {
  private static final String JDK_JPEG = "com.sun.imageio.plugins.jpeg.JPEGImageReader";
  private static final String PIXELMED_JPEG_LOSSLESS = "com.pixelmed.imageio.JPEGLosslessImageReader";
  private static final String JAI_JPEG_2000 = "com.github.jaiimageio.jpeg2000.impl.J2KImageReader";
  private static final Map<String, String> READERS = Map.of(
      TransferSyntax.JPEG_BASELINE, JDK_JPEG,
      TransferSyntax.JPEG_EXTENDED, JDK_JPEG,
      TransferSyntax.JPEG_LOSSLESS, PIXELMED_JPEG_LOSSLESS,
      TransferSyntax.JPEG_LOSSLESS_SV1, PIXELMED_JPEG_LOSSLESS,
      TransferSyntax.JPEG_2000_LOSSLESS, JAI_JPEG_2000,
      TransferSyntax.JPEG_2000, JAI_JPEG_2000);
  private static final Map<String, ImageReaderSpi> SPIS = new HashMap<>();
  /** One decoded frame is held in memory at a time; 256 MiB is beyond any single real frame. */
  static final long MAX_DECODED_FRAME_BYTES = 1L << 28;

  private FrameDecoders() {}

  /** Whether frames of this encapsulated syntax can be decoded here at all. */
  static boolean canDecode(String transferSyntaxUid) {
    if (transferSyntaxUid.equals(TransferSyntax.RLE_LOSSLESS) || isJpegLs(transferSyntaxUid)) return true;
    String reader = READERS.get(transferSyntaxUid);
    return reader != null && spi(reader).isPresent();
  }

  /** Throws when this instance's frames cannot be decoded (a syntax without codec, 12-bit lossy JPEG, …). */
  static void check(String transferSyntaxUid, ImagePixels p) throws UnsupportedTranscodingException {
    TransferSyntax syntax = TransferSyntax.of(transferSyntaxUid);
    if (!canDecode(transferSyntaxUid)) {
      throw new UnsupportedTranscodingException("no codec in this archive decodes " + syntax.describe());
    }
    boolean jpegLossy = isJpegLossy(transferSyntaxUid);
    if (jpegLossy && p.bitsStored() > 8 && p.samplesPerPixel() != 1) {
      throw new UnsupportedTranscodingException("no codec in this archive decodes " + p.bitsStored() + "-bit colour "
          + syntax.describe() + " (ours handles one component; the JDK's JPEG reader 8-bit only)");
    }
    if (p.bitsAllocated() % 8 != 0 || p.bitsAllocated() == 0 || p.bitsAllocated() > 32 || p.rows() == 0
        || p.columns() == 0) {
      throw new UnsupportedTranscodingException("cannot decode " + syntax.describe() + " frames of " + p.rows() + "x"
          + p.columns() + " pixels with Bits Allocated " + p.bitsAllocated());
    }
    long decoded = (long) p.rows() * p.columns() * p.samplesPerPixel() * (p.bitsAllocated() / 8);
    if (decoded > MAX_DECODED_FRAME_BYTES) {
      throw new UnsupportedTranscodingException("a decoded frame of " + p.columns() + "x" + p.rows() + " pixels, "
          + p.samplesPerPixel() + " samples of " + p.bitsAllocated() + " bits, is larger than this archive decodes ("
          + MAX_DECODED_FRAME_BYTES + " bytes)");
    }
  }

  /**
   * The Photometric Interpretation of decoded frames: the JDK's JPEG reader and JPEG 2000's
   * inverse component transform both deliver RGB (PS3.5 8.2.1, 8.2.4); a codec gives back every
   * chrominance sample, so YBR_FULL_422 decodes to YBR_FULL (PS3.3 C.7.6.3.1.2).
   */
  static String decodedPhotometric(String transferSyntaxUid, String photometric) {
    if (isJpegLossy(transferSyntaxUid) && photometric.startsWith("YBR_FULL")) return "RGB";
    boolean j2k = transferSyntaxUid.equals(TransferSyntax.JPEG_2000_LOSSLESS)
        || transferSyntaxUid.equals(TransferSyntax.JPEG_2000);
    if (j2k && (photometric.equals("YBR_RCT") || photometric.equals("YBR_ICT"))) return "RGB";
    return photometric.equals("YBR_FULL_422") ? "YBR_FULL" : photometric;
  }

  /** One frame's native pixels: little endian, Bits Allocated per sample, color-by-pixel. */
  static byte[] decode(String transferSyntaxUid, byte[] frame, ImagePixels p)
      throws UnsupportedTranscodingException, IOException {
    check(transferSyntaxUid, p);
    if (transferSyntaxUid.equals(TransferSyntax.RLE_LOSSLESS)) return RleDecoder.decode(frame, p);
    if (isJpegLs(transferSyntaxUid)) return JpegLsDecoder.decode(frame, p);
    if (isJpegLossy(transferSyntaxUid) && p.bitsStored() > 8) return JpegExtendedDecoder.decode(frame, p);
    ImageReaderSpi spi = spi(READERS.get(transferSyntaxUid)).orElseThrow();
    javax.imageio.ImageReader reader = spi.createReaderInstance();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      return samples(image.getRaster(), p, transferSyntaxUid);
    } catch (IOException | RuntimeException e) {
      throw new UnsupportedTranscodingException("a " + TransferSyntax.of(transferSyntaxUid).describe()
          + " frame cannot be decoded: " + e.getMessage());
    } finally {
      reader.dispose();
    }
  }

  private static boolean isJpegLossy(String transferSyntaxUid) {
    return transferSyntaxUid.equals(TransferSyntax.JPEG_BASELINE)
        || transferSyntaxUid.equals(TransferSyntax.JPEG_EXTENDED);
  }

  private static boolean isJpegLs(String transferSyntaxUid) {
    return transferSyntaxUid.equals(TransferSyntax.JPEG_LS_LOSSLESS)
        || transferSyntaxUid.equals(TransferSyntax.JPEG_LS_NEAR_LOSSLESS);
  }

  private static byte[] samples(Raster raster, ImagePixels p, String ts) throws UnsupportedTranscodingException {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int bands = raster.getNumBands();
    if (width != p.columns() || height != p.rows() || bands != p.samplesPerPixel()) {
      throw new UnsupportedTranscodingException("a " + TransferSyntax.of(ts).describe() + " frame decodes to "
          + width + "x" + height + " pixels of " + bands + " samples, but the header says " + p.columns() + "x"
          + p.rows() + " of " + p.samplesPerPixel());
    }
    int bytesPerSample = p.bitsAllocated() / 8;
    byte[] out = new byte[width * height * bands * bytesPerSample];
    int[] row = new int[width * bands];
    int at = 0;
    for (int y = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int v : row) {
        for (int b = 0; b < bytesPerSample; b++) out[at++] = (byte) (v >>> (8 * b));
      }
    }
    return out;
  }

  private static synchronized Optional<ImageReaderSpi> spi(String readerClass) {
    if (!SPIS.containsKey(readerClass)) {
      ImageReaderSpi found = null;
      for (Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
          true); it.hasNext(); ) {
        ImageReaderSpi spi = it.next();
        if (spi.getPluginClassName().equals(readerClass)) found = spi;
      }
      SPIS.put(readerClass, found);
    }
    return Optional.ofNullable(SPIS.get(readerClass));
  }
}
