package dev.atrium.dicom;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A stored PS3.10 file opened at its data set (PS3.10 7.1): preamble and File Meta Information
 * read, the data set ready to be walked in its transfer syntax (inflated first when deflated,
 * PS3.5 A.5). Positions of the data set are file offsets, or offsets into the inflated stream.
 */
final class Part10File implements Closeable {
  /** Headers are read element by element and bulk values skipped (a seek): a small buffer serves both. */
  private static final int BUFFER = 16 * 1024;
  private static final byte[] DICM = {'D', 'I', 'C', 'M'};

  final String transferSyntaxUid;
  /** Media Storage SOP Class and Instance UIDs (0002,0002), (0002,0003); null when the meta information lacks them. */
  final String sopClassUid;
  final String sopInstanceUid;
  final TransferSyntax syntax;
  /** File offset where the data set begins (after the meta information). */
  final long dataSetOffset;
  final ElementReader reader;
  /** The data set's bytes as stored (still deflated for a deflated syntax), from dataSetOffset on. */
  final InputStream storedDataSet;
  /** Inflates a deflated data set; null for any other syntax. Its native memory is freed on {@link #close}. */
  final EndingInflaterStream inflating;
  private final InputStream file;

  private Part10File(InputStream file, ReadBuffer in, String[] meta, long dataSetOffset) {
    this.file = file;
    this.transferSyntaxUid = meta[2];
    this.sopClassUid = meta[0];
    this.sopInstanceUid = meta[1];
    this.syntax = TransferSyntax.of(meta[2]);
    this.dataSetOffset = dataSetOffset;
    this.storedDataSet = in;
    this.inflating = syntax.deflated() ? new EndingInflaterStream(in) : null;
    this.reader = new ElementReader(inflating != null ? inflating : in, syntax.explicitVr(), syntax.littleEndian(),
        syntax.deflated() ? 0 : dataSetOffset);
  }

  static Part10File open(DicomHeaderReader.Source source) throws IOException, DicomParseException {
    InputStream file = source.open();
    try {
      return read(file);
    } catch (IOException | DicomParseException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /**
   * Reads the preamble and File Meta Information of {@code file}, which the result then owns: closing it closes the
   * file (a caller that closes the file again does no harm).
   */
  static Part10File read(InputStream file) throws IOException, DicomParseException {
    ReadBuffer in = new ReadBuffer(file, BUFFER);
    byte[] head = in.readNBytes(132);
    if (head.length < 132 || !Arrays.equals(Arrays.copyOfRange(head, 128, 132), DICM)) {
      throw new DicomParseException("not a DICOM PS3.10 file: no 128-byte preamble followed by 'DICM'");
    }
    ElementReader meta = new ElementReader(in, true, true, 132);
    String[] values = new String[3]; // (0002,0002), (0002,0003), (0002,0010)
    while (true) {
      int[] next = in.peek2(); // the group of the next element, little endian
      if (next[0] < 0 || next[1] < 0 || (next[0] | (next[1] << 8)) != 0x0002) break;
      meta.next();
      int slot = switch (meta.tag) {
        case 0x00020002 -> 0;
        case 0x00020003 -> 1;
        case 0x00020010 -> 2;
        default -> -1;
      };
      if (slot >= 0 && meta.length >= 0 && meta.length <= 1024) {
        values[slot] = new String(meta.value(), StandardCharsets.US_ASCII).replace("\0", "").trim();
      } else {
        meta.skip(Math.max(0, meta.length));
      }
    }
    if (values[2] == null) {
      throw new DicomParseException("the File Meta Information has no Transfer Syntax UID (0002,0010)");
    }
    return new Part10File(file, in, values, meta.position());
  }

  /** Opens the data set stream again, positioned at {@code position} (seeking where the file allows). */
  static InputStream openAt(DicomHeaderReader.Source source, long dataSetOffset, boolean deflated, long position)
      throws IOException {
    InputStream file = source.open();
    try {
      if (!deflated) {
        file.skipNBytes(position);
        return file;
      }
      file.skipNBytes(dataSetOffset);
      InputStream inflated = new EndingInflaterStream(new BufferedInputStream(file, BUFFER));
      inflated.skipNBytes(position);
      return inflated;
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Closes the file and frees the inflater's native memory at once, not whenever the collector gets to it. */
  @Override
  public void close() throws IOException {
    try (file; inflating) { // a null resource is skipped; closing the file twice does no harm
      // only closed
    }
  }

  /**
   * Inflates a raw deflate stream (PS3.5 A.5) and ends its inflater on close: an InflaterInputStream given its
   * inflater leaves it to the caller.
   */
  static final class EndingInflaterStream extends InflaterInputStream {
    EndingInflaterStream(InputStream deflated) {
      super(deflated, new Inflater(true), BUFFER);
    }

    Inflater inflater() {
      return inf;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        inf.end();
      }
    }
  }
}
