package dev.atrium.dicom;

/**
 * The marker segments of a JPEG-family frame, one after another (ITU-T T.81 B.1.1, T.87 C.1): SOI first, fill bytes
 * before a marker skipped, each segment's length checked to lie inside the frame, EOI last. Entropy-coded data after a
 * scan header is the {@link Decoder}'s to read, which then says where it ended.
 */
final class JpegSegments {
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int COM = 0xFE;
  private static final int APP0 = 0xE0;
  private static final int APP15 = 0xEF;

  /** One codec's part: the segments it knows, its scans, and the frame they make. */
  interface Decoder {
    /** Takes a segment this codec knows; false for one it does not (APPn and COM are then skipped). */
    boolean segment(Segment segment) throws DicomParseException, UnsupportedTranscodingException;

    /** Decodes the scan whose header begins at {@code body}; returns the offset where its coded data ended. */
    int scan(int body) throws DicomParseException, UnsupportedTranscodingException;

    /** The frame, once EOI is reached. */
    byte[] finish() throws DicomParseException;
  }

  /** One marker segment: {@code body} is the offset after its length field, {@code end} the offset after it. */
  record Segment(int marker, int body, int length, int end) {}

  /**
   * What a frame header (T.81 B.2.2; T.87's SOF55 has the same layout) says of the samples, once its size and number
   * of components are found to be those the DICOM header gives; each component's bytes follow at {@code at + 6}.
   */
  record FrameHeader(int precision, int components) {
    static FrameHeader read(byte[] data, int at, ImagePixels pixels, String kind) throws DicomParseException {
      int rows = u16(data, at + 1);
      int columns = u16(data, at + 3);
      int components = data[at + 5] & 0xFF;
      if (rows != pixels.rows() || columns != pixels.columns() || components != pixels.samplesPerPixel()) {
        throw new DicomParseException("the " + kind + " frame is " + columns + "x" + rows + " pixels of " + components
            + " samples, but the header says " + pixels.columns() + "x" + pixels.rows() + " of "
            + pixels.samplesPerPixel());
      }
      return new FrameHeader(data[at] & 0xFF, components);
    }
  }

  private final byte[] data;
  private int pos;

  /**
   * Reads {@code data} segment by segment into {@code decoder}; an unknown marker, a parse failure or a segment cut
   * short is the refusal to transcode a {@code kind} frame.
   */
  static byte[] decode(byte[] data, String kind, Decoder decoder) throws UnsupportedTranscodingException {
    try {
      JpegSegments segments = new JpegSegments(data);
      for (Segment s; (s = segments.next()) != null; ) {
        if (s.marker() == SOS) {
          segments.pos = decoder.scan(s.body());
        } else if (!decoder.segment(s) && s.marker() != COM && (s.marker() < APP0 || s.marker() > APP15)) {
          throw new DicomParseException(String.format("unexpected JPEG marker FF%02X", s.marker()));
        }
      }
      return decoder.finish();
    } catch (DicomParseException | ArrayIndexOutOfBoundsException e) {
      throw new UnsupportedTranscodingException("a " + kind + " frame cannot be decoded: "
          + (e instanceof DicomParseException ? e.getMessage() : "a marker segment is cut short"));
    }
  }

  private JpegSegments(byte[] data) throws DicomParseException {
    this.data = data;
    if (marker() != SOI) throw new DicomParseException("the frame does not begin with a JPEG SOI marker");
  }

  /** The next segment, or null at EOI. */
  private Segment next() throws DicomParseException {
    int marker = marker();
    if (marker == EOI) return null;
    int length = u16(data, pos);
    int end = pos + length;
    if (length < 2 || end > data.length) throw new DicomParseException("a marker segment runs past the frame");
    Segment segment = new Segment(marker, pos + 2, length - 2, end);
    pos = end;
    return segment;
  }

  static int u16(byte[] data, int at) {
    return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
  }

  /** The next marker's code, past any fill bytes (0xFF) before it. */
  private int marker() throws DicomParseException {
    if (pos >= data.length || (data[pos] & 0xFF) != 0xFF) {
      throw new DicomParseException(pos >= data.length ? "the frame ends without an EOI marker"
          : "a JPEG marker was expected at byte " + pos);
    }
    while (pos < data.length && (data[pos] & 0xFF) == 0xFF) pos++;
    if (pos >= data.length) throw new DicomParseException("the frame ends without an EOI marker");
    return data[pos++] & 0xFF;
  }
}
