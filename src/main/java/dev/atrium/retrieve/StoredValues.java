package dev.atrium.retrieve;

/**
 * Reads stored pixel values out of raster samples (PS3.5 8.1.1): shifted down so the High Bit is
 * the top of Bits Stored, masked to Bits Stored, and for Pixel Representation 1 sign-extended.
 */
final class StoredValues {
  private final int shift;
  private final long mask;
  private final long signBit;

  StoredValues(int shift, int bitsStored, boolean signed) {
    this.shift = shift;
    this.mask = (1L << bitsStored) - 1;
    this.signBit = signed ? 1L << (bitsStored - 1) : 0;
  }

  /** The unsigned Bits Stored field of a sample (a 32-bit sample arrives as a possibly negative int). */
  long raw(int sample) {
    return (Integer.toUnsignedLong(sample) >>> shift) & mask;
  }

  long signExtend(long raw) {
    return (raw & signBit) != 0 ? raw - (mask + 1) : raw;
  }

  /** An unsigned sample scaled to 8 bits (for colour, which has no VOI: PS3.4 N.2.3). */
  int toByte(int sample, int bitsStored) {
    long v = raw(sample);
    return (int) (bitsStored >= 8 ? v >>> (bitsStored - 8) : v << (8 - bitsStored));
  }
}
