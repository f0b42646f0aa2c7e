package dev.atrium.dicom;

/**
 * The inverse DCT of one 8x8 block as libjpeg 6b computes it by default (jidctint.c, "islow": the Loeffler-Ligtenberg-
 * Moschytz algorithm in 13-bit fixed point), so that decoded samples equal those of dcmtk's dcmdjpeg, which uses that
 * library. Then the level shift and libjpeg's range limiting (jdmaster.c), wrap-around of absurd values included.
 */
final class JpegIdct {
  private static final int CONST_BITS = 13;
  private static final long FIX_0_298631336 = 2446;
  private static final long FIX_0_390180644 = 3196;
  private static final long FIX_0_541196100 = 4433;
  private static final long FIX_0_765366865 = 6270;
  private static final long FIX_0_899976223 = 7373;
  private static final long FIX_1_175875602 = 9633;
  private static final long FIX_1_501321110 = 12299;
  private static final long FIX_1_847759065 = 15137;
  private static final long FIX_1_961570560 = 16069;
  private static final long FIX_2_053119869 = 16819;
  private static final long FIX_2_562915447 = 20995;
  private static final long FIX_3_072711026 = 25172;

  private final int pass1Bits;
  private final int maxSample;
  private final int center;
  private final int rangeMask;
  private final int[] workspace = new int[64];
  private final long[] even = new long[4];
  private final long[] odd = new long[4];

  JpegIdct(int precision) {
    this.pass1Bits = precision == 8 ? 2 : 1;
    this.maxSample = (1 << precision) - 1;
    this.center = 1 << (precision - 1);
    this.rangeMask = maxSample * 4 + 3;
  }

  /** {@code coefficients}: dequantized, natural order; {@code samples}: 64 output samples, row by row. */
  void transform(int[] coefficients, int[] samples) {
    for (int column = 0; column < 8; column++) {
      boolean acZero = true;
      for (int row = 1; row < 8 && acZero; row++) acZero = coefficients[row * 8 + column] == 0;
      if (acZero) {
        int dc = coefficients[column] << pass1Bits;
        for (int row = 0; row < 8; row++) workspace[row * 8 + column] = dc;
        continue;
      }
      butterfly(coefficients, column, 8);
      int shift = CONST_BITS - pass1Bits;
      for (int i = 0; i < 4; i++) {
        workspace[i * 8 + column] = (int) descale(even[i] + odd[3 - i], shift);
        workspace[(7 - i) * 8 + column] = (int) descale(even[i] - odd[3 - i], shift);
      }
    }
    for (int row = 0; row < 8; row++) {
      int base = row * 8;
      boolean acZero = true;
      for (int i = 1; i < 8 && acZero; i++) acZero = workspace[base + i] == 0;
      if (acZero) {
        int value = limit(descale(workspace[base], pass1Bits + 3));
        for (int i = 0; i < 8; i++) samples[base + i] = value;
        continue;
      }
      butterfly(workspace, base, 1);
      int shift = CONST_BITS + pass1Bits + 3;
      for (int i = 0; i < 4; i++) {
        samples[base + i] = limit(descale(even[i] + odd[3 - i], shift));
        samples[base + 7 - i] = limit(descale(even[i] - odd[3 - i], shift));
      }
    }
  }

  /**
   * One column or row: even[] = tmp10, tmp11, tmp12, tmp13 and odd[] = tmp0..tmp3 of jidctint.c, whose outputs are
   * even[i] ± odd[3 - i].
   */
  private void butterfly(int[] in, int first, int step) {
    long z2 = in[first + 2 * step];
    long z3 = in[first + 6 * step];
    long z1 = (z2 + z3) * FIX_0_541196100;
    long tmp2 = z1 - z3 * FIX_1_847759065;
    long tmp3 = z1 + z2 * FIX_0_765366865;
    z2 = in[first];
    z3 = in[first + 4 * step];
    long tmp0 = (z2 + z3) << CONST_BITS;
    long tmp1 = (z2 - z3) << CONST_BITS;
    even[0] = tmp0 + tmp3;
    even[3] = tmp0 - tmp3;
    even[1] = tmp1 + tmp2;
    even[2] = tmp1 - tmp2;

    tmp0 = in[first + 7 * step];
    tmp1 = in[first + 5 * step];
    tmp2 = in[first + 3 * step];
    tmp3 = in[first + step];
    z1 = tmp0 + tmp3;
    z2 = tmp1 + tmp2;
    z3 = tmp0 + tmp2;
    long z4 = tmp1 + tmp3;
    long z5 = (z3 + z4) * FIX_1_175875602;
    tmp0 *= FIX_0_298631336;
    tmp1 *= FIX_2_053119869;
    tmp2 *= FIX_3_072711026;
    tmp3 *= FIX_1_501321110;
    z1 *= -FIX_0_899976223;
    z2 *= -FIX_2_562915447;
    z3 = z3 * -FIX_1_961570560 + z5;
    z4 = z4 * -FIX_0_390180644 + z5;
    odd[0] = tmp0 + z1 + z3;
    odd[1] = tmp1 + z2 + z4;
    odd[2] = tmp2 + z2 + z3;
    odd[3] = tmp3 + z1 + z4;
  }

  private static long descale(long x, int n) {
    return (x + (1L << (n - 1))) >> n;
  }

  /** jdmaster.c's post-IDCT table: the level shift, clamping, and wrap-around beyond twice the range. */
  private int limit(long value) {
    int index = (int) value & rangeMask;
    int size = maxSample + 1;
    if (index < size - center) return index + center;
    if (index < 2 * size) return maxSample;
    if (index < 4 * size - center) return 0;
    return index - 4 * size + center;
  }
}
