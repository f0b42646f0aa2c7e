package dev.atrium.dicom;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read buffer for one reader thread, unlike {@link java.io.BufferedInputStream}, whose every call takes a lock:
 * a header walk makes thousands of small reads per file, and on the C1-only JIT the store path runs with (see
 * conf/jvm.options) those locks were a fifth of the walk. Large reads on an empty buffer and skips past it go to the
 * underlying stream (a seek for a file). Marks only what {@link #peek2()} needs.
 */
final class ReadBuffer extends InputStream {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int count;

  ReadBuffer(InputStream in, int size) {
    this.in = in;
    this.buf = new byte[size];
  }

  /** Refills an empty buffer; false at the end of the stream. */
  private boolean fill() throws IOException {
    pos = 0;
    count = 0;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) return false;
    count = n;
    return true;
  }

  @Override
  public int read() throws IOException {
    if (pos >= count && !fill()) return -1;
    return buf[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    int available = count - pos;
    if (available <= 0) {
      if (len >= buf.length) return in.read(b, off, len); // nothing gained by copying through the buffer
      if (!fill()) return -1;
      available = count;
    }
    int n = Math.min(available, len);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) return 0;
    int available = count - pos;
    if (n <= available) {
      pos += (int) n;
      return n;
    }
    pos = count;
    return available + Math.max(0, in.skip(n - available));
  }

  /** The next two bytes without consuming them (-1 for each past the end). */
  int[] peek2() throws IOException {
    if (count - pos < 2) {
      // keep what is left at the front and top the buffer up
      int left = Math.max(0, count - pos);
      System.arraycopy(buf, pos, buf, 0, left);
      pos = 0;
      count = left;
      while (count < 2) {
        int n = in.read(buf, count, buf.length - count);
        if (n <= 0) break;
        count += n;
      }
    }
    int available = count - pos;
    return new int[] {available > 0 ? buf[pos] & 0xFF : -1, available > 1 ? buf[pos + 1] & 0xFF : -1};
  }

  @Override
  public int available() throws IOException {
    return (count - pos) + in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
