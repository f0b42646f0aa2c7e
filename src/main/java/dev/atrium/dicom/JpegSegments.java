package dev.atrium.dicom;

/**
 * The marker segments of a JPEG-family frame, one after another (ITU-T T.81 B.1.1, T.87 C.1): SOI first, fill bytes
 * before a marker skipped, each segment's length checked to lie inside the frame, EOI last. Entropy-coded data after a
 * scan header is the caller's to read, which then says where it ended.
 */
final class JpegSegments {
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;

  /** One marker segment: {@code body} is the offset after its length field, {@code end} the offset after it. */
  record Segment(int marker, int body, int length, int end) {}

  private final byte[] data;
  private int pos;

  JpegSegments(byte[] data) throws DicomParseException {
    this.data = data;
    if (marker() != SOI) throw new DicomParseException("the frame does not begin with a JPEG SOI marker");
  }

  /** The next segment, or null at EOI. */
  Segment next() throws DicomParseException {
    int marker = marker();
    if (marker == EOI) return null;
    int length = u16(data, pos);
    int end = pos + length;
    if (length < 2 || end > data.length) throw new DicomParseException("a marker segment runs past the frame");
    Segment segment = new Segment(marker, pos + 2, length - 2, end);
    pos = end;
    return segment;
  }

  /** Goes on after a scan whose entropy-coded data ended at {@code end}. */
  void continueAt(int end) {
    pos = end;
  }

  /** A frame that could not be read (a parse failure, or a segment cut short), as the refusal to transcode it. */
  static UnsupportedTranscodingException damaged(String kind, Exception e) {
    return new UnsupportedTranscodingException("a " + kind + " frame cannot be decoded: "
        + (e instanceof DicomParseException ? e.getMessage() : "a marker segment is cut short"));
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
