package dev.atrium.dicom;

import java.nio.charset.StandardCharsets;

/**
 * The Image Pixel module attributes that say how Pixel Data is laid out (PS3.3 C.7.6.3), as
 * found at the top level of a data set before Pixel Data. The one description of an image's
 * pixels: frames are located (/frames, transcoding), decoded and rendered from it.
 */
public record ImagePixels(int rows, int columns, int samplesPerPixel, String photometricInterpretation,
    int bitsAllocated, int bitsStored, int highBit, int pixelRepresentation, int planarConfiguration,
    int numberOfFrames) {

  static final int SAMPLES_PER_PIXEL = 0x00280002;
  static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
  static final int PLANAR_CONFIGURATION = 0x00280006;
  static final int NUMBER_OF_FRAMES = 0x00280008;
  static final int ROWS = 0x00280010;
  static final int COLUMNS = 0x00280011;
  static final int BITS_ALLOCATED = 0x00280100;
  static final int BITS_STORED = 0x00280101;
  static final int HIGH_BIT = 0x00280102;
  static final int PIXEL_REPRESENTATION = 0x00280103;

  /** Pixel Representation 1: samples are two's complement (PS3.3 C.7.6.3.1). */
  public boolean signed() {
    return pixelRepresentation == 1;
  }

  public boolean isMonochrome() {
    return photometricInterpretation.startsWith("MONOCHROME");
  }

  /** MONOCHROME1: the minimum value is white (PS3.3 C.7.6.3.1.2). */
  public boolean isInverted() {
    return photometricInterpretation.equals("MONOCHROME1");
  }

  /**
   * Bytes of one native frame (PS3.5 8.1.1, 8.2): bit-packed frames (Bits Allocated 1) round up;
   * YBR_FULL_422 stores two luminance values per chrominance pair, so a pixel takes two samples
   * instead of three (PS3.3 C.7.6.3.1.2).
   */
  public long frameLength() {
    return (frameBits() + 7) / 8;
  }

  /** Whether native frames start on byte boundaries, so a frame can be cut out by offset. */
  public boolean framesByteAligned() {
    return frameBits() % 8 == 0 || numberOfFrames == 1;
  }

  private long frameBits() {
    int samples = photometricInterpretation.equals("YBR_FULL_422") ? 2 : samplesPerPixel;
    return (long) rows * columns * samples * bitsAllocated;
  }

  /**
   * The same pixels after a codec decoded them: in {@code photometric}, color-by-pixel (Planar
   * Configuration 0, PS3.3 C.7.6.3.1.3).
   */
  ImagePixels decodedAs(String photometric) {
    return new ImagePixels(rows, columns, samplesPerPixel, photometric, bitsAllocated, bitsStored, highBit,
        pixelRepresentation, 0, numberOfFrames);
  }

  /** Collects the module's values while a walk of the data set passes them. */
  static final class Collector {
    private int rows;
    private int columns;
    private int samplesPerPixel = 1;
    private int bitsAllocated;
    private int bitsStored;
    private int highBit = -1;
    private int pixelRepresentation;
    private int planarConfiguration;
    private String photometric = "";
    private int numberOfFrames = 1;

    static boolean wanted(int tag) {
      return (tag >>> 16) == 0x0028 && switch (tag) {
        case SAMPLES_PER_PIXEL, PHOTOMETRIC_INTERPRETATION, PLANAR_CONFIGURATION, NUMBER_OF_FRAMES, ROWS, COLUMNS,
            BITS_ALLOCATED, BITS_STORED, HIGH_BIT, PIXEL_REPRESENTATION -> true;
        default -> false;
      };
    }

    void accept(int tag, byte[] value, boolean littleEndian) {
      switch (tag) {
        case PHOTOMETRIC_INTERPRETATION -> photometric = text(value);
        case NUMBER_OF_FRAMES -> {
          try {
            numberOfFrames = Math.max(1, Integer.parseInt(text(value)));
          } catch (NumberFormatException e) {
            numberOfFrames = 1;
          }
        }
        default -> {
          if (value.length < 2) return;
          int v = littleEndian ? (value[0] & 0xFF) | (value[1] & 0xFF) << 8 : (value[0] & 0xFF) << 8 | (value[1] & 0xFF);
          switch (tag) {
            case SAMPLES_PER_PIXEL -> samplesPerPixel = v;
            case PLANAR_CONFIGURATION -> planarConfiguration = v;
            case ROWS -> rows = v;
            case COLUMNS -> columns = v;
            case BITS_ALLOCATED -> bitsAllocated = v;
            case BITS_STORED -> bitsStored = v;
            case HIGH_BIT -> highBit = v;
            case PIXEL_REPRESENTATION -> pixelRepresentation = v;
            default -> { }
          }
        }
      }
    }

    int bitsAllocated() {
      return bitsAllocated;
    }

    int pixelRepresentation() {
      return pixelRepresentation;
    }

    /** Absent Bits Stored is Bits Allocated, absent High Bit is Bits Stored − 1 (the usual encoding, PS3.5 8.1.1). */
    ImagePixels build() {
      int stored = bitsStored == 0 ? bitsAllocated : bitsStored;
      return new ImagePixels(rows, columns, samplesPerPixel, photometric, bitsAllocated, stored,
          highBit < 0 ? stored - 1 : highBit, pixelRepresentation, planarConfiguration, numberOfFrames);
    }

    private static String text(byte[] value) {
      return new String(value, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }
  }
}
