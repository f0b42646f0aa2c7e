package dev.atrium.dicom;

/**
 * Decodes one JPEG-LS frame (ITU-T T.87; PS3.5 A.4.3, lossless and near-lossless) to native pixels: little endian,
 * Bits Allocated per sample, color-by-pixel. Reads the marker segments (T.87 C.2), then each scan with
 * {@link JpegLsScan}: one per component (ILV 0), or one for all (ILV 1 and 2). What DICOM writers do not use, and this
 * decoder refuses with a message naming it: mapping tables, restart intervals, the HP color transforms, subsampling.
 */
final class JpegLsDecoder implements JpegSegments.Decoder {
  private static final int SOF55 = 0xF7;
  private static final int LSE = 0xF8;
  private static final int DRI = 0xDD;
  private static final int APP8 = 0xE8;

  private final byte[] data;
  private final ImagePixels pixels;
  private final byte[] out;
  private final int bytesPerSample;
  private int precision;
  private int[] componentIds; // in frame order
  private int[] preset; // MAXVAL, T1, T2, T3, RESET of an LSE segment
  private boolean[] decoded;

  private JpegLsDecoder(byte[] data, ImagePixels pixels) {
    this.data = data;
    this.pixels = pixels;
    this.bytesPerSample = pixels.bitsAllocated() / 8;
    this.out = new byte[pixels.rows() * pixels.columns() * pixels.samplesPerPixel() * bytesPerSample];
  }

  static byte[] decode(byte[] frame, ImagePixels p) throws UnsupportedTranscodingException {
    return JpegSegments.decode(frame, "JPEG-LS", new JpegLsDecoder(frame, p));
  }

  @Override
  public boolean segment(JpegSegments.Segment s) throws DicomParseException, UnsupportedTranscodingException {
    int body = s.body();
    switch (s.marker()) {
      case SOF55 -> frameHeader(body);
      case LSE -> presetParameters(body, s.length());
      case DRI -> {
        if (s.length() >= 2 && u16(body) != 0) unsupported("restart intervals");
      }
      case APP8 -> {
        // HP's colour transforms (T.87 has none; "mrfx" APP8, transform id at offset 4) change the samples
        if (s.length() >= 5 && ascii(body, 4).equals("mrfx") && (data[body + 4] & 0xFF) != 0) {
          unsupported("the HP colour transform");
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  @Override
  public byte[] finish() throws DicomParseException {
    if (componentIds == null) throw new DicomParseException("the frame has no JPEG-LS frame header (SOF55)");
    for (boolean done : decoded) {
      if (!done) throw new DicomParseException("a component of the frame has no scan");
    }
    return out;
  }

  private void frameHeader(int at) throws DicomParseException, UnsupportedTranscodingException {
    JpegSegments.FrameHeader header = JpegSegments.FrameHeader.read(data, at, pixels, "JPEG-LS");
    precision = header.precision();
    int components = header.components();
    if (precision < 2 || precision > 16 || precision > 8 * bytesPerSample) {
      throw new DicomParseException("JPEG-LS samples of " + precision + " bits do not fit Bits Allocated "
          + pixels.bitsAllocated());
    }
    componentIds = new int[components];
    decoded = new boolean[components];
    for (int k = 0; k < components; k++) {
      componentIds[k] = data[at + 6 + 3 * k] & 0xFF;
      if ((data[at + 7 + 3 * k] & 0xFF) != 0x11) unsupported("subsampled components");
    }
  }

  private void presetParameters(int at, int length) throws DicomParseException, UnsupportedTranscodingException {
    int id = data[at] & 0xFF;
    if (id != 1) unsupported(id == 4 ? "oversize image dimensions (LSE 4)" : "mapping tables (LSE " + id + ")");
    if (length < 11) throw new DicomParseException("the JPEG-LS preset parameters segment is cut short");
    preset = new int[] {u16(at + 1), u16(at + 3), u16(at + 5), u16(at + 7), u16(at + 9)};
  }

  /** Decodes the scan whose header is at {@code at}; returns the offset of the marker that follows its data. */
  @Override
  public int scan(int at) throws DicomParseException, UnsupportedTranscodingException {
    if (componentIds == null) throw new DicomParseException("a JPEG-LS scan comes before the frame header");
    int count = data[at] & 0xFF;
    int[] components = new int[count];
    for (int i = 0; i < count; i++) {
      components[i] = indexOf(data[at + 1 + 2 * i] & 0xFF);
      if ((data[at + 2 + 2 * i] & 0xFF) != 0) unsupported("mapping tables");
      if (decoded[components[i]]) throw new DicomParseException("a JPEG-LS component has two scans");
      decoded[components[i]] = true;
    }
    int near = data[at + 1 + 2 * count] & 0xFF;
    int interleave = data[at + 2 + 2 * count] & 0xFF;
    if ((data[at + 3 + 2 * count] & 0x0F) != 0) unsupported("a point transform");
    int start = at + 4 + 2 * count;
    int end = JpegLsBits.endOfScan(data, start, data.length);
    JpegLsScan scan = new JpegLsScan(JpegLsParameters.of(precision, near, preset),
        new JpegLsBits(data, start, end), pixels.columns(), pixels.rows());
    JpegLsScan.LineSink sink = (k, y, line) -> store(components[k], y, line);
    switch (interleave) {
      case 0, 1 -> {
        if (interleave == 0 && count != 1) throw new DicomParseException("a non-interleaved scan of " + count
            + " components");
        scan.decodeLines(count, sink);
      }
      case 2 -> {
        if (count != 3) unsupported("sample interleaving of " + count + " components");
        scan.decodeSamples(sink);
      }
      default -> throw new DicomParseException("JPEG-LS interleave mode " + interleave + " does not exist");
    }
    return end;
  }

  private void store(int component, int y, int[] line) {
    int samples = pixels.samplesPerPixel();
    int at = (y * pixels.columns() * samples + component) * bytesPerSample;
    int stride = samples * bytesPerSample;
    for (int x = 1; x <= pixels.columns(); x++, at += stride) {
      int v = line[x];
      out[at] = (byte) v;
      if (bytesPerSample == 2) out[at + 1] = (byte) (v >>> 8);
    }
  }

  private int indexOf(int id) throws DicomParseException {
    for (int k = 0; k < componentIds.length; k++) {
      if (componentIds[k] == id) return k;
    }
    throw new DicomParseException("a JPEG-LS scan names component " + id + ", which the frame does not have");
  }

  private int u16(int at) {
    return JpegSegments.u16(data, at);
  }

  private String ascii(int at, int length) {
    return new String(data, at, length, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void unsupported(String what) throws UnsupportedTranscodingException {
    throw new UnsupportedTranscodingException("no codec in this archive decodes JPEG-LS with " + what);
  }
}
