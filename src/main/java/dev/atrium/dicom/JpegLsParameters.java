package dev.atrium.dicom;

/**
 * The coding parameters of a JPEG-LS scan (ITU-T T.87 A.2, C.2.4.1.1): sample range, thresholds of the gradient
 * quantization, context reset interval, and what follows from them. Values given as 0 by the stream take their
 * defaults.
 */
record JpegLsParameters(int maxVal, int near, int t1, int t2, int t3, int reset, int range, int qbpp, int limit) {
  private static final int BASIC_T1 = 3;
  private static final int BASIC_T2 = 7;
  private static final int BASIC_T3 = 21;
  private static final int DEFAULT_RESET = 64;

  /**
   * @param precision bits per sample (P of the frame header)
   * @param preset MAXVAL, T1, T2, T3, RESET of an LSE marker segment, each 0 for its default; null when none came
   */
  static JpegLsParameters of(int precision, int near, int[] preset) throws DicomParseException {
    int maxVal = preset != null && preset[0] != 0 ? preset[0] : (1 << precision) - 1;
    if (near < 0 || near > Math.min(255, maxVal / 2)) {
      throw new DicomParseException("JPEG-LS NEAR " + near + " is out of range for MAXVAL " + maxVal);
    }
    int t1;
    int t2;
    int t3;
    if (maxVal >= 128) {
      int factor = (Math.min(maxVal, 4095) + 128) / 256;
      t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, maxVal);
      t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, maxVal);
      t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, maxVal);
    } else {
      int factor = 256 / (maxVal + 1);
      t1 = clamp(Math.max(2, BASIC_T1 / factor + 3 * near), near + 1, maxVal);
      t2 = clamp(Math.max(3, BASIC_T2 / factor + 5 * near), t1, maxVal);
      t3 = clamp(Math.max(4, BASIC_T3 / factor + 7 * near), t2, maxVal);
    }
    int reset = DEFAULT_RESET;
    if (preset != null) {
      if (preset[1] != 0) t1 = preset[1];
      if (preset[2] != 0) t2 = preset[2];
      if (preset[3] != 0) t3 = preset[3];
      if (preset[4] != 0) reset = preset[4];
    }
    // C.2.4.1.1: NEAR+1 ≤ T1 ≤ T2 ≤ T3 ≤ MAXVAL, and 3 ≤ RESET ≤ max(255, MAXVAL)
    if (t1 < near + 1 || t1 > t2 || t2 > t3 || t3 > maxVal || reset < 3 || reset > Math.max(255, maxVal)) {
      throw new DicomParseException("JPEG-LS coding parameters are out of range: T1=" + t1 + " T2=" + t2 + " T3=" + t3
          + " RESET=" + reset + " MAXVAL=" + maxVal);
    }
    int range = (maxVal + 2 * near) / (2 * near + 1) + 1;
    int qbpp = bitsFor(range);
    int bpp = Math.max(2, bitsFor(maxVal + 1));
    int limit = 2 * (bpp + Math.max(8, bpp));
    return new JpegLsParameters(maxVal, near, t1, t2, t3, reset, range, qbpp, limit);
  }

  /** ⌈log2 n⌉ */
  private static int bitsFor(int n) {
    int bits = 0;
    while ((1L << bits) < n) bits++;
    return bits;
  }

  private static int clamp(int value, int low, int maxVal) {
    return value > maxVal || value < low ? low : value;
  }
}
