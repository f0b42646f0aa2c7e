package dev.atrium.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A multipart/related response body (RFC 2387, PS3.18 8.6.1.2) written part by part: each part's
 * headers, then its bytes streamed by the caller or read from a file, through one bounded direct
 * buffer ({@link DirectBody}) so part headers and small parts coalesce into few socket writes.
 */
final class MultipartWriter implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};

  private final String boundary = UUID.randomUUID().toString();
  private final DirectBody out;
  private boolean inPart;

  /** One part to come, when every part is known before the body starts. */
  record PartSize(String contentType, long length) {}

  /** Starts a 200 response of multipart/related; type="{partType}", of unknown length (chunked). */
  MultipartWriter(Exchange exchange, String partType) {
    this(exchange, partType, null);
  }

  /**
   * With {@code parts} (each length known), the response declares its Content-Length: a client
   * then reads one body of known size instead of decoding chunks. The parts must then be written
   * exactly as listed.
   */
  MultipartWriter(Exchange exchange, String partType, List<PartSize> parts) {
    if (parts != null) {
      long total = closing().length;
      for (PartSize part : parts) total += header(part.contentType(), part.length()).length + part.length() + 2;
      exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, total);
    }
    out = exchange.startDirectBody(200, "multipart/related; type=\"" + partType + "\"; boundary=" + boundary);
  }

  /** Opens the next part; its bytes go to the stream returned. Length -1 when unknown (the boundary ends it). */
  OutputStream part(String contentType, long length) throws IOException {
    endPart();
    out.write(header(contentType, length));
    inPart = true;
    return out;
  }

  /** A part that is the first {@code length} bytes of {@code file}, sent as they are stored. */
  void part(String contentType, FileChannel file, long length) throws IOException {
    part(contentType, length);
    out.transferFrom(file, 0, length);
  }

  private byte[] header(String contentType, long length) {
    return ("--" + boundary + "\r\nContent-Type: " + contentType
        + (length >= 0 ? "\r\nContent-Length: " + length : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] closing() {
    return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private void endPart() throws IOException {
    if (inPart) out.write(CRLF);
    inPart = false;
  }

  /** Writes the parts of a multipart body. */
  @FunctionalInterface
  interface Parts {
    void write(MultipartWriter out) throws Exception;
  }

  /**
   * A 200 multipart body whose parts {@code parts} writes, ended (closing boundary) only if it returns. If it throws,
   * the body is left unended: the router then answers the failure if nothing was sent yet (the first MiB is
   * held), else aborts the response, so that a client never takes a body cut short for a whole one.
   */
  static void respond(Exchange exchange, String partType, List<PartSize> sizes, Parts parts) throws Exception {
    MultipartWriter out = new MultipartWriter(exchange, partType, sizes);
    try {
      parts.write(out);
    } catch (HeadSettled settled) { // a HEAD: the rest would not change its status
      out.out.endSettledHead();
      return;
    } catch (Exception | Error e) {
      out.out.abort();
      throw e;
    }
    out.close();
  }

  @Override
  public void close() throws IOException {
    endPart();
    out.write(closing());
    out.close();
  }
}
