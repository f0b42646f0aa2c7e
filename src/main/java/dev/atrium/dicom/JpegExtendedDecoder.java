package dev.atrium.dicom;

/**
 * Decodes one frame of sequential DCT JPEG with Huffman coding (ITU-T T.81 processes 1, 2 and 4) of one component,
 * 12 bits or 8, to native pixels (little endian, Bits Allocated per sample): the 12-bit lossy JPEG of older CT and MR
 * (PS3.5 A.4.1, JPEG Extended), which the JDK's reader refuses. The inverse DCT is libjpeg's integer one (jidctint.c,
 * the default of dcmtk's dcmdjpeg), so samples come out as dcmtk's do. Several components, progressive and arithmetic
 * coding are refused with a message naming them.
 */
final class JpegExtendedDecoder implements JpegSegments.Decoder {
  private static final int[] ZIGZAG = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
      41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
      45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

  private final byte[] data;
  private final ImagePixels pixels;
  private final byte[] out;
  private final int bytesPerSample;
  private final int[][] quantization = new int[4][];
  private final JpegHuffmanTable[] dcTables = new JpegHuffmanTable[4];
  private final JpegHuffmanTable[] acTables = new JpegHuffmanTable[4];
  private int precision;
  private int componentId = -1;
  private int quantizationTable;
  private int restartInterval;
  private boolean scanned;

  private JpegExtendedDecoder(byte[] data, ImagePixels pixels) {
    this.data = data;
    this.pixels = pixels;
    this.bytesPerSample = pixels.bitsAllocated() / 8;
    this.out = new byte[pixels.rows() * pixels.columns() * bytesPerSample];
  }

  static byte[] decode(byte[] frame, ImagePixels p) throws UnsupportedTranscodingException {
    if (p.samplesPerPixel() != 1) unsupported(p.samplesPerPixel() + " components");
    return JpegSegments.decode(frame, "lossy JPEG", new JpegExtendedDecoder(frame, p));
  }

  @Override
  public boolean segment(JpegSegments.Segment s) throws DicomParseException, UnsupportedTranscodingException {
    int body = s.body();
    switch (s.marker()) {
      case 0xC0, 0xC1 -> frameHeader(body);
      case 0xC4 -> huffmanTables(body, s.end());
      case 0xDB -> quantizationTables(body, s.end());
      case 0xDD -> restartInterval = u16(body);
      case 0xC2, 0xC6, 0xCA, 0xCE -> unsupported("progressive coding");
      case 0xC3, 0xC7, 0xCB, 0xCF -> throw new DicomParseException("a lossless JPEG frame in a lossy syntax");
      case 0xC5, 0xC9, 0xCD -> unsupported("hierarchical or arithmetic coding");
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] finish() throws DicomParseException {
    if (!scanned) throw new DicomParseException("the frame has no scan");
    return out;
  }

  private void frameHeader(int at) throws DicomParseException {
    precision = JpegSegments.FrameHeader.read(data, at, pixels, "JPEG").precision(); // one component: see decode
    if ((precision != 8 && precision != 12) || precision > 8 * bytesPerSample) {
      throw new DicomParseException("JPEG samples of " + precision + " bits (8 or 12 expected, within Bits Allocated "
          + pixels.bitsAllocated() + ")");
    }
    componentId = data[at + 6] & 0xFF;
    quantizationTable = data[at + 8] & 0x03;
  }

  /** T.81 B.2.4.2: any number of tables in one segment. */
  private void huffmanTables(int at, int end) throws DicomParseException {
    while (at < end) {
      int classAndId = data[at] & 0xFF;
      int[] counts = new int[17];
      int total = 0;
      for (int i = 1; i <= 16; i++) total += counts[i] = data[at + i] & 0xFF;
      if (at + 17 + total > end) throw new DicomParseException("a JPEG Huffman table runs past its segment");
      int[] values = new int[total];
      for (int i = 0; i < total; i++) values[i] = data[at + 17 + i] & 0xFF;
      JpegHuffmanTable table = new JpegHuffmanTable(counts, values);
      if ((classAndId >> 4) == 0) dcTables[classAndId & 3] = table; else acTables[classAndId & 3] = table;
      at += 17 + total;
    }
  }

  /** T.81 B.2.4.1: 8- or 16-bit entries in zigzag order, kept in that order. */
  private void quantizationTables(int at, int end) {
    while (at < end) {
      boolean wide = (data[at] & 0xF0) != 0;
      int[] table = new int[64];
      for (int k = 0; k < 64; k++) {
        table[k] = wide ? u16(at + 1 + 2 * k) : data[at + 1 + k] & 0xFF;
      }
      quantization[data[at] & 0x03] = table;
      at += 1 + (wide ? 128 : 64);
    }
  }

  /** Decodes the scan whose header is at {@code at}; returns the offset of the marker after its data. */
  @Override
  public int scan(int at) throws DicomParseException, UnsupportedTranscodingException {
    if (componentId < 0) throw new DicomParseException("a JPEG scan comes before the frame header");
    if ((data[at] & 0xFF) != 1 || (data[at + 1] & 0xFF) != componentId) {
      throw new DicomParseException("the JPEG scan does not code the frame's one component");
    }
    int tables = data[at + 2] & 0xFF;
    JpegHuffmanTable dc = dcTables[tables >> 4 & 3];
    JpegHuffmanTable ac = acTables[tables & 3];
    int[] q = quantization[quantizationTable];
    if (dc == null || ac == null || q == null) throw new DicomParseException("a JPEG table the scan uses is missing");
    // Ss, Se, Ah/Al (T.81 B.2.3) mean nothing to a sequential frame, which must have 0, 63, 0: libjpeg (and so
    // dcmdjpeg) only warns when they differ, since real encoders write zeroes there, and decodes the scan as
    // sequential all the same. So do we (pydicom's JPEG-lossy.dcm has Se 0). Progressive frames never get here.
    JpegBits bits = new JpegBits(data, at + 6);
    JpegIdct idct = new JpegIdct(precision);
    int blocksAcross = (pixels.columns() + 7) / 8;
    int blocksDown = (pixels.rows() + 7) / 8;
    int[] coefficients = new int[64];
    int[] samples = new int[64];
    int predictor = 0;
    int blocks = 0;
    for (int by = 0; by < blocksDown; by++) {
      for (int bx = 0; bx < blocksAcross; bx++) {
        if (restartInterval > 0 && blocks > 0 && blocks % restartInterval == 0) {
          bits.restart();
          predictor = 0;
        }
        java.util.Arrays.fill(coefficients, 0);
        int category = dc.decode(bits);
        if (category > 16) throw new DicomParseException("a JPEG DC difference is out of range (damaged data)");
        predictor += extend(bits.readBits(category), category);
        coefficients[0] = predictor * q[0];
        for (int k = 1; k < 64; k++) {
          int runAndSize = ac.decode(bits);
          int size = runAndSize & 15;
          int run = runAndSize >> 4;
          if (size == 0) {
            if (run != 15) break; // end of block
            k += 15;
            continue;
          }
          k += run;
          if (k > 63) throw new DicomParseException("a JPEG block has more than 64 coefficients (damaged data)");
          coefficients[ZIGZAG[k]] = extend(bits.readBits(size), size) * q[k];
        }
        idct.transform(coefficients, samples);
        store(bx, by, samples);
        blocks++;
      }
    }
    scanned = true;
    return bits.endOfScan();
  }

  /** T.81 F.2.2.1 EXTEND: the {@code size}-bit value as a signed difference. */
  private static int extend(int value, int size) {
    return size == 0 || value >= 1 << (size - 1) ? value : value - (1 << size) + 1;
  }

  private void store(int bx, int by, int[] samples) {
    for (int y = 0; y < 8; y++) {
      int row = by * 8 + y;
      if (row >= pixels.rows()) return;
      for (int x = 0; x < 8; x++) {
        int column = bx * 8 + x;
        if (column >= pixels.columns()) break;
        int at = (row * pixels.columns() + column) * bytesPerSample;
        int v = samples[y * 8 + x];
        out[at] = (byte) v;
        if (bytesPerSample == 2) out[at + 1] = (byte) (v >>> 8);
      }
    }
  }

  private int u16(int at) {
    return JpegSegments.u16(data, at);
  }

  private static void unsupported(String what) throws UnsupportedTranscodingException {
    throw new UnsupportedTranscodingException("no codec in this archive decodes lossy JPEG of " + what);
  }
}
