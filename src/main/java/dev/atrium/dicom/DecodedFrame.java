package dev.atrium.dicom;

import java.awt.image.Raster;

/**
 * One frame's samples, decoded but not yet transformed: stored values as the Pixel Data holds
 * them (still to be shifted right by {@code sampleShift}, masked to Bits Stored and, for signed
 * data, sign-extended), in the colour model {@code color}.
 */
public record DecodedFrame(Raster raster, int sampleShift, Color color) {

  /** How the raster's bands are to be read. */
  public enum Color {
    /** One band of stored values: MONOCHROME1 or MONOCHROME2. */
    GRAYSCALE,
    /** Three bands R, G, B (also what a codec gives back after its own colour conversion). */
    RGB,
    /** Three bands Y, Cb, Cr, full range (PS3.3 C.7.6.3.1.2), not yet converted. */
    YBR_FULL,
    /** One band of indices into the palette (PALETTE COLOR). */
    PALETTE
  }
}
