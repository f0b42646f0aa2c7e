package dev.atrium.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming reader of a multipart body (RFC 2046 5.1, as PS3.18 8.6 uses it): each part's
 * body is an InputStream that ends at the next delimiter, read through one bounded buffer, so
 * no part is ever held whole in memory.
 */
final class MultipartRelatedReader {
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  record Part(Map<String, String> headers, InputStream body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final InputStream in;
  private final String boundary;
  private final byte[] delimiter; // CRLF "--" boundary
  /** How far the search may move on, by the buffer byte under the delimiter's last byte (Horspool). */
  private final int[] shift = new int[256];
  private final byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  private boolean finished;
  private PartBody current;

  MultipartRelatedReader(InputStream in, String boundary) {
    this.in = in;
    this.boundary = boundary;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[Math.max(64 * 1024, delimiter.length * 4)];
    Arrays.fill(shift, delimiter.length);
    for (int j = 0; j < delimiter.length - 1; j++) shift[delimiter[j] & 0xff] = delimiter.length - 1 - j;
    // A leading CRLF lets the first delimiter be found like every later one.
    buf[0] = '\r';
    buf[1] = '\n';
    limit = 2;
  }

  /** The next part, or null after the closing delimiter. */
  Part next() throws IOException {
    if (finished) return null;
    if (!started) {
      started = true;
      skipPreamble();
    } else {
      current.skipRest();
    }
    pos += delimiter.length;
    fill(2);
    if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
      finished = true;
      return null;
    }
    while (fill(1) && (buf[pos] == ' ' || buf[pos] == '\t')) pos++; // transport padding
    expectCrlf("after the boundary delimiter");
    Map<String, String> headers = readHeaders();
    current = new PartBody();
    return new Part(headers, current);
  }

  private void skipPreamble() throws IOException {
    while (true) {
      int found = indexOfDelimiter();
      if (found >= 0) {
        pos = found;
        return;
      }
      pos = Math.max(pos, limit - delimiter.length + 1); // keep what may be a delimiter's start
      if (!fill(delimiter.length)) {
        throw new MalformedMultipartException("the body has no opening boundary --" + boundary);
      }
    }
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int consumed = 0;
    while (true) {
      String line = readLine();
      consumed += line.length() + 2;
      if (consumed > MAX_HEADER_BYTES) throw new MalformedMultipartException("part headers exceed 16 KiB");
      if (line.isEmpty()) return headers;
      int colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedMultipartException("malformed part header line: '" + line + "'");
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (!fill(2)) throw new MalformedMultipartException("the body ends inside part headers");
      if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
        pos += 2;
        return line.toString();
      }
      if (line.length() > MAX_HEADER_BYTES) throw new MalformedMultipartException("part header line too long");
      line.append((char) (buf[pos++] & 0xff));
    }
  }

  private void expectCrlf(String where) throws IOException {
    if (!fill(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
      throw new MalformedMultipartException("expected CRLF " + where + " (broken boundary?)");
    }
    pos += 2;
  }

  /** Ensures at least {@code n} unread bytes unless the input ends; false if fewer are available. */
  private boolean fill(int n) throws IOException {
    while (limit - pos < n && !eof) {
      if (pos > 0 && (buf.length - limit < n || pos > buf.length / 2)) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      int read = in.read(buf, limit, buf.length - limit);
      if (read < 0) eof = true;
      else limit += read;
    }
    return limit - pos >= n;
  }

  /**
   * The first delimiter in the buffer, or -1. Every byte of a part's body passes through here, so
   * the search looks at about one byte in every delimiter length (Boyer-Moore-Horspool) instead
   * of at each byte: it took half of the STOW threads' CPU for large instances.
   */
  private int indexOfDelimiter() {
    int m = delimiter.length;
    byte lastByte = delimiter[m - 1];
    for (int i = pos, last = limit - m; i <= last; ) {
      byte b = buf[i + m - 1];
      if (b == lastByte && Arrays.equals(buf, i, i + m, delimiter, 0, m)) return i;
      i += shift[b & 0xff];
    }
    return -1;
  }

  /** One part's body: bytes up to (not including) the next delimiter. */
  private final class PartBody extends InputStream {
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) return -1;
      if (len == 0) return 0;
      int available = available();
      if (available == 0) {
        ended = true;
        return -1;
      }
      int n = Math.min(len, available);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    /** Bytes that surely belong to this part; 0 at its end. */
    @Override
    public int available() throws IOException {
      if (ended) return 0;
      fill(buf.length / 2);
      int found = indexOfDelimiter();
      if (found >= 0) return found - pos;
      if (eof) throw new MalformedMultipartException("the body ends before the closing boundary --" + boundary + "--");
      return Math.max(0, limit - pos - delimiter.length + 1);
    }

    void skipRest() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard what the consumer left unread
      }
    }
  }
}
