package dev.atrium.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The metadata document of one instance is built in memory while its header is read, so it has a ceiling: a data
 * set whose elements before Pixel Data would make more DICOM JSON than {@link #MAX_BYTES} (a sequence of millions
 * of items) is refused rather than allowed to exhaust the heap for every request under way.
 */
final class MetadataLimit {
  static final int MAX_BYTES = 64 << 20;

  private MetadataLimit() {}

  /** Thrown when the document outgrows the ceiling. */
  static final class Exceeded extends IOException {
    Exceeded() {
      super("the data set's elements before Pixel Data make a metadata document (DICOM JSON) of more than "
          + (MAX_BYTES >> 20) + " MB, the most the archive keeps for one instance");
    }
  }

  /** An in-memory document that refuses to grow past the ceiling. */
  static final class Buffer extends OutputStream {
    private final ByteArrayOutputStream bytes;

    Buffer(int initial) {
      bytes = new ByteArrayOutputStream(initial);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      check(len);
      bytes.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      check(1);
      bytes.write(b);
    }

    private void check(int more) throws Exceeded {
      if (bytes.size() + (long) more > MAX_BYTES) throw new Exceeded();
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }
}
