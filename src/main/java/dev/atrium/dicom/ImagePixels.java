package dev.atrium.dicom;

/**
 * The Image Pixel Module of an instance (PS3.3 C.7.6.3) as far as rendering needs it, plus the
 * transfer syntax its Pixel Data is encoded in.
 */
public record ImagePixels(
    String transferSyntaxUid,
    int rows,
    int columns,
    int samplesPerPixel,
    String photometricInterpretation,
    int bitsAllocated,
    int bitsStored,
    int highBit,
    boolean signed,
    int planarConfiguration,
    int numberOfFrames,
    Palette palette) {

  /** PALETTE COLOR tables (PS3.3 C.7.6.3.1.5); null for other photometric interpretations. */
  public record Palette(Lut red, Lut green, Lut blue) {}

  public boolean isMonochrome() {
    return photometricInterpretation.startsWith("MONOCHROME");
  }

  /** MONOCHROME1: the minimum value is white (PS3.3 C.7.6.3.1.2). */
  public boolean isInverted() {
    return photometricInterpretation.equals("MONOCHROME1");
  }

  /**
   * Bytes of one uncompressed frame (PS3.5 8.1.1, 8.2): YBR_FULL_422 stores two luminance values
   * per chrominance pair, so a pixel takes two samples instead of three.
   */
  public long nativeFrameBytes() {
    long samples = (long) rows * columns * samplesPerPixel;
    if (photometricInterpretation.equals("YBR_FULL_422")) samples = (long) rows * columns * 2;
    return samples * (bitsAllocated / 8);
  }
}
