package dev.atrium.dicom;

/**
 * A lookup table as DICOM encodes them (PS3.3 C.11.1.1: Modality LUT, VOI LUT, and the Palette
 * Color tables of C.7.6.3.1.5): input values from {@code firstMapped} on map to {@code data};
 * inputs below or above the table take its first or last entry. {@code bits} is the width of an
 * entry (its largest value is 2^bits − 1).
 */
public record Lut(int firstMapped, int bits, int[] data) {

  public Lut {
    if (data.length == 0) throw new IllegalArgumentException("a LUT needs at least one entry");
    if (bits < 1 || bits > 16) throw new IllegalArgumentException("LUT entries of " + bits + " bits");
  }

  public int lookup(double value) {
    double index = Math.floor(value) - firstMapped;
    if (index <= 0) return data[0];
    if (index >= data.length - 1) return data[data.length - 1];
    return data[(int) index];
  }

  /** The largest value an entry can hold. */
  public int maxOutput() {
    return (1 << bits) - 1;
  }
}
