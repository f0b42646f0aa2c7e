package dev.atrium.dicom;

/**
 * Decodes one JPEG-LS scan (ITU-T T.87): context modelling, prediction, Golomb coding and run mode, for one component,
 * several line-interleaved ones (ILV 1) or three sample-interleaved ones (ILV 2). The behaviour where T.87 leaves a
 * choice (run interruption of interleaved samples) follows CharLS, the codec nearly every DICOM JPEG-LS writer uses.
 * Each component's lines are kept with one sample of margin on both sides, as the predictor's edge rules want
 * (T.87 A.2.1).
 */
final class JpegLsScan {
  private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11,
      12, 13, 14, 15};
  private static final int CONTEXTS = 365;
  private static final int MIN_C = -128;
  private static final int MAX_C = 127;

  /** Receives each decoded line of a component: samples at [1, width] of {@code line}. */
  interface LineSink {
    void line(int component, int y, int[] line);
  }

  private final JpegLsParameters p;
  private final JpegLsBits bits;
  private final int width;
  private final int height;
  private final int[] a = new int[CONTEXTS];
  private final int[] b = new int[CONTEXTS];
  private final int[] c = new int[CONTEXTS];
  private final int[] n = new int[CONTEXTS];
  private final int[] runA = new int[2];
  private final int[] runN = {1, 1};
  private final int[] runNn = new int[2];
  private int runIndex;

  JpegLsScan(JpegLsParameters p, JpegLsBits bits, int width, int height) {
    this.p = p;
    this.bits = bits;
    this.width = width;
    this.height = height;
    int initialA = Math.max(2, (p.range() + 32) / 64);
    java.util.Arrays.fill(a, initialA);
    java.util.Arrays.fill(n, 1);
    runA[0] = runA[1] = initialA;
  }

  /** ILV 0 (one component) or 1 (each line of every component in turn, contexts shared, run index each its own). */
  void decodeLines(int components, LineSink sink) throws DicomParseException {
    int[][] previous = new int[components][width + 2];
    int[][] current = new int[components][width + 2];
    int[] runIndices = new int[components];
    for (int y = 0; y < height; y++) {
      for (int k = 0; k < components; k++) {
        int[] prev = previous[k];
        int[] cur = current[k];
        prev[width + 1] = prev[width];
        cur[0] = prev[1];
        runIndex = runIndices[k];
        decodeLine(prev, cur);
        runIndices[k] = runIndex;
        sink.line(k, y, cur);
        previous[k] = cur;
        current[k] = prev;
      }
    }
  }

  /** ILV 2: the three samples of each pixel in turn; run mode only where all three are flat. */
  void decodeSamples(LineSink sink) throws DicomParseException {
    int[][] previous = new int[3][width + 2];
    int[][] current = new int[3][width + 2];
    int[] qs = new int[3];
    for (int y = 0; y < height; y++) {
      for (int k = 0; k < 3; k++) {
        previous[k][width + 1] = previous[k][width];
        current[k][0] = previous[k][1];
      }
      int x = 1;
      while (x <= width) {
        boolean flat = true;
        for (int k = 0; k < 3; k++) {
          int[] prev = previous[k];
          qs[k] = context(prev[x + 1] - prev[x], prev[x] - prev[x - 1], prev[x - 1] - current[k][x - 1]);
          flat &= qs[k] == 0;
        }
        if (flat) {
          x += runOfPixels(previous, current, x);
        } else {
          for (int k = 0; k < 3; k++) {
            int[] prev = previous[k];
            current[k][x] = regular(qs[k], predict(current[k][x - 1], prev[x], prev[x - 1]));
          }
          x++;
        }
      }
      for (int k = 0; k < 3; k++) {
        sink.line(k, y, current[k]);
        int[] swap = previous[k];
        previous[k] = current[k];
        current[k] = swap;
      }
    }
  }

  private void decodeLine(int[] prev, int[] cur) throws DicomParseException {
    int x = 1;
    while (x <= width) {
      int ra = cur[x - 1];
      int rc = prev[x - 1];
      int rb = prev[x];
      int rd = prev[x + 1];
      int q = context(rd - rb, rb - rc, rc - ra);
      if (q != 0) {
        cur[x] = regular(q, predict(ra, rb, rc));
        x++;
      } else {
        x += runOfSamples(prev, cur, x);
      }
    }
  }

  /** T.87 A.3.3, A.3.4: the quantized gradients as one signed context number, |number| ≤ 364. */
  private int context(int d1, int d2, int d3) {
    return (quantize(d1) * 9 + quantize(d2)) * 9 + quantize(d3);
  }

  private int quantize(int d) {
    if (d <= -p.t3()) return -4;
    if (d <= -p.t2()) return -3;
    if (d <= -p.t1()) return -2;
    if (d < -p.near()) return -1;
    if (d <= p.near()) return 0;
    if (d < p.t1()) return 1;
    if (d < p.t2()) return 2;
    if (d < p.t3()) return 3;
    return 4;
  }

  /** T.87 A.4.1: the median edge detector. */
  private static int predict(int ra, int rb, int rc) {
    if (rc >= Math.max(ra, rb)) return Math.min(ra, rb);
    if (rc <= Math.min(ra, rb)) return Math.max(ra, rb);
    return ra + rb - rc;
  }

  /** T.87 A.4.2 – A.6: one sample in regular mode. */
  private int regular(int signedContext, int predicted) throws DicomParseException {
    int sign = signedContext >> 31; // -1 when the context was negated
    int q = (signedContext ^ sign) - sign;
    int k = golombK(n[q], a[q]);
    int px = clampToRange(predicted + ((c[q] ^ sign) - sign));
    int mapped = golomb(k, p.limit());
    int error = (mapped & 1) != 0 ? -((mapped + 1) >> 1) : mapped >> 1;
    if (k == 0 && p.near() == 0 && 2 * b[q] + n[q] - 1 < 0) error = ~error; // A.5.2's other mapping
    update(q, error);
    return reconstruct(px, (error ^ sign) - sign);
  }

  /** T.87 A.6.1, A.6.2: the context's statistics and bias correction. */
  private void update(int q, int error) {
    a[q] += Math.abs(error);
    b[q] += error * (2 * p.near() + 1);
    if (n[q] == p.reset()) {
      a[q] >>= 1;
      b[q] >>= 1;
      n[q] >>= 1;
    }
    n[q]++;
    if (b[q] + n[q] <= 0) {
      b[q] += n[q];
      if (b[q] <= -n[q]) b[q] = -n[q] + 1;
      if (c[q] > MIN_C) c[q]--;
    } else if (b[q] > 0) {
      b[q] -= n[q];
      if (b[q] > 0) b[q] = 0;
      if (c[q] < MAX_C) c[q]++;
    }
  }

  /** T.87 A.7.1: a run of samples equal to Ra; then, unless the line ends, the sample that interrupted it. */
  private int runOfSamples(int[] prev, int[] cur, int x) throws DicomParseException {
    int ra = cur[x - 1];
    int length = runLength(width - x + 1);
    java.util.Arrays.fill(cur, x, x + length, ra);
    int end = x + length;
    if (end > width) return length;
    int rb = prev[end];
    if (Math.abs(ra - rb) <= p.near()) {
      cur[end] = reconstruct(ra, interruption(1));
    } else {
      cur[end] = reconstruct(rb, interruption(0) * (rb - ra < 0 ? -1 : 1));
    }
    runIndex = Math.max(0, runIndex - 1);
    return length + 1;
  }

  /** The same for three sample-interleaved components: a run of whole pixels. */
  private int runOfPixels(int[][] previous, int[][] current, int x) throws DicomParseException {
    int length = runLength(width - x + 1);
    for (int k = 0; k < 3; k++) java.util.Arrays.fill(current[k], x, x + length, current[k][x - 1]);
    int end = x + length;
    if (end > width) return length;
    int[] errors = {interruption(0), interruption(0), interruption(0)};
    for (int k = 0; k < 3; k++) {
      int ra = current[k][x - 1];
      int rb = previous[k][end];
      current[k][end] = reconstruct(rb, errors[k] * (rb - ra < 0 ? -1 : 1));
    }
    runIndex = Math.max(0, runIndex - 1);
    return length + 1;
  }

  /** T.87 A.7.1.2: the run's length, at most {@code remaining}. */
  private int runLength(int remaining) throws DicomParseException {
    int length = 0;
    while (bits.readBit() == 1) {
      int step = Math.min(1 << J[runIndex], remaining - length);
      length += step;
      if (step == 1 << J[runIndex]) runIndex = Math.min(31, runIndex + 1);
      if (length == remaining) return length;
    }
    length += bits.readBits(J[runIndex]);
    if (length > remaining) throw new DicomParseException("a JPEG-LS run passes the end of its line (damaged data)");
    return length;
  }

  /** T.87 A.7.2: the error of a run interruption sample, in context 0 (Ra ≠ Rb) or 1 (Ra = Rb). */
  private int interruption(int type) throws DicomParseException {
    int k = golombK(runN[type], runA[type] + (runN[type] >> 1) * type);
    int mapped = golomb(k, p.limit() - J[runIndex] - 1);
    int temp = mapped + type;
    int map = temp & 1;
    int magnitude = (temp + map) / 2;
    int error = ((k != 0 || 2 * runNn[type] >= runN[type]) == (map == 1)) ? -magnitude : magnitude;
    if (error < 0) runNn[type]++;
    runA[type] += (mapped + 1 - type) >> 1;
    if (runN[type] == p.reset()) {
      runA[type] >>= 1;
      runN[type] >>= 1;
      runNn[type] >>= 1;
    }
    runN[type]++;
    return error;
  }

  private static int golombK(int count, int sum) throws DicomParseException {
    int k = 0;
    while ((long) count << k < sum) {
      if (++k > 24) throw new DicomParseException("a JPEG-LS context is out of range (damaged data)");
    }
    return k;
  }

  /** T.87 A.5.3: a Golomb-coded value of parameter k, with the escape to qbpp bits at {@code limit}. */
  private int golomb(int k, int limit) throws DicomParseException {
    int escapeAt = limit - p.qbpp() - 1;
    int high = bits.readZerosAndOne(escapeAt);
    if (high > escapeAt) throw new DicomParseException("a JPEG-LS code is longer than the limit (damaged data)");
    if (high == escapeAt) return bits.readBits(p.qbpp()) + 1;
    return (high << k) + bits.readBits(k);
  }

  /** T.87 A.4.2, A.5.1 (decoder): Rx from Px and the error, modulo the range, within [0, MAXVAL]. */
  private int reconstruct(int predicted, int error) {
    int step = 2 * p.near() + 1;
    int value = predicted + error * step;
    if (value < -p.near()) {
      value += p.range() * step;
    } else if (value > p.maxVal() + p.near()) {
      value -= p.range() * step;
    }
    return clampToRange(value);
  }

  private int clampToRange(int value) {
    return value < 0 ? 0 : Math.min(value, p.maxVal());
  }
}
