package dev.atrium.dicom;

/** The three tables of PALETTE COLOR (PS3.3 C.7.6.3.1.5): a stored value indexes each. */
public record Palette(Lut red, Lut green, Lut blue) {}
