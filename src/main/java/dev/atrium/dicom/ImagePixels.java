package dev.atrium.dicom;

import java.nio.charset.StandardCharsets;

/**
 * The Image Pixel module attributes that say how Pixel Data is laid out (PS3.3 C.7.6.3), as
 * found at the top level of a data set before Pixel Data.
 */
public record ImagePixels(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
    int pixelRepresentation, int planarConfiguration, String photometricInterpretation, int numberOfFrames) {

  static final int SAMPLES_PER_PIXEL = 0x00280002;
  static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
  static final int PLANAR_CONFIGURATION = 0x00280006;
  static final int NUMBER_OF_FRAMES = 0x00280008;
  static final int ROWS = 0x00280010;
  static final int COLUMNS = 0x00280011;
  static final int BITS_ALLOCATED = 0x00280100;
  static final int BITS_STORED = 0x00280101;
  static final int PIXEL_REPRESENTATION = 0x00280103;

  /** Bytes of one native frame (PS3.5 8.1.1); bit-packed frames (Bits Allocated 1) round up. */
  public long frameLength() {
    long bits = (long) rows * columns * samplesPerPixel * bitsAllocated;
    return (bits + 7) / 8;
  }

  /** Whether native frames start on byte boundaries, so a frame can be cut out by offset. */
  public boolean framesByteAligned() {
    return ((long) rows * columns * samplesPerPixel * bitsAllocated) % 8 == 0 || numberOfFrames == 1;
  }

  /** Collects the module's values while a walk passes them. */
  static final class Collector {
    private int rows;
    private int columns;
    private int samplesPerPixel = 1;
    private int bitsAllocated;
    private int bitsStored;
    private int pixelRepresentation;
    private int planarConfiguration;
    private String photometric = "";
    private int numberOfFrames = 1;

    static boolean wanted(int tag) {
      return (tag >>> 16) == 0x0028 && switch (tag) {
        case SAMPLES_PER_PIXEL, PHOTOMETRIC_INTERPRETATION, PLANAR_CONFIGURATION, NUMBER_OF_FRAMES, ROWS, COLUMNS,
            BITS_ALLOCATED, BITS_STORED, PIXEL_REPRESENTATION -> true;
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

    ImagePixels build() {
      return new ImagePixels(rows, columns, samplesPerPixel, bitsAllocated, bitsStored == 0 ? bitsAllocated : bitsStored,
          pixelRepresentation, planarConfiguration, photometric, numberOfFrames);
    }

    private static String text(byte[] value) {
      return new String(value, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }
  }
}
