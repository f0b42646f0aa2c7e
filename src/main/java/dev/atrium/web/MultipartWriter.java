package dev.atrium.web;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A multipart/related response body (RFC 2387, PS3.18 8.6.1.2) written part by part: each part's
 * headers, then its bytes streamed by the caller, through one bounded buffer so part headers and
 * small parts coalesce into few socket writes.
 */
final class MultipartWriter implements AutoCloseable {
  private static final int SOCKET_BUFFER = 256 * 1024;

  private final String boundary = UUID.randomUUID().toString();
  private final OutputStream out;
  private boolean inPart;

  /** Starts a 200 response of multipart/related; type="{partType}". */
  MultipartWriter(Exchange exchange, String partType) {
    out = new BufferedOutputStream(exchange.startBody(200,
        "multipart/related; type=\"" + partType + "\"; boundary=" + boundary), SOCKET_BUFFER);
  }

  /** Opens the next part; its bytes go to the stream returned. Length -1 when unknown (the boundary ends it). */
  OutputStream part(String contentType, long length) throws IOException {
    endPart();
    String header = "--" + boundary + "\r\nContent-Type: " + contentType
        + (length >= 0 ? "\r\nContent-Length: " + length : "") + "\r\n\r\n";
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    inPart = true;
    return out;
  }

  private void endPart() throws IOException {
    if (inPart) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    inPart = false;
  }

  @Override
  public void close() throws IOException {
    endPart();
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    out.close();
  }
}
