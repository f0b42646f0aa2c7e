package dev.atrium.web;

import dev.atrium.dicom.DicomStructure;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS bulk data (PS3.18 10.4.1.1.5) of a top-level element, as referenced by the BulkDataURIs
 * of the stored metadata: the value's bytes straight from the stored file, in one
 * multipart/related; type="application/octet-stream" part (or, if asked, a single
 * application/octet-stream body). Encapsulated (compressed) Pixel Data is served frame by frame
 * by /frames, not here.
 */
final class BulkDataEndpoint implements Route.Endpoint {
  private static final int BUFFER = 64 * 1024;
  static final String OCTET_STREAM = "application/octet-stream";

  private final RetrieveService retrieve;

  BulkDataEndpoint(RetrieveService retrieve) {
    this.retrieve = retrieve;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String tagText = exchange.pathParam("tag");
    if (!tagText.matches("[0-9A-Fa-f]{8}")) {
      throw new HttpProblem(400, "bulk data is addressed by an 8-digit hexadecimal tag, not '" + tagText + "'");
    }
    int tag = (int) Long.parseLong(tagText, 16);
    StoredInstance instance = retrieve.findInstance(exchange.partition(), exchange.pathParam("study"),
            exchange.pathParam("series"), exchange.pathParam("instance"))
        .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
    boolean multipart = negotiate(exchange.header(HttpHeader.ACCEPT));
    DicomStructure.ValueLocation value = retrieve.bulkData(instance, tag)
        .orElseThrow(() -> new HttpProblem(404, "the instance has no top-level element " + tagText));
    if (value.deflated() || value.length() < 0) {
      throw new HttpProblem(406, "element " + tagText + " is " + (value.deflated() ? "in a deflated data set"
          : "encapsulated (compressed)") + "; its bytes are not available as application/octet-stream"
          + (value.deflated() ? "" : " (its frames are, at /frames/{list})"));
    }
    try (InputStream in = retrieve.open(instance)) {
      in.skipNBytes(value.offset());
      if (multipart) {
        MultipartWriter.respond(exchange, OCTET_STREAM, null,
            out -> copy(in, out.part(OCTET_STREAM, value.length()), value.length()));
      } else {
        exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, value.length());
        exchange.respond(200, OCTET_STREAM, out -> copy(in, out, value.length()));
      }
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[BUFFER];
    for (long left = length; left > 0; ) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) throw new EOFException("stored file shorter than its element says");
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  /** PS3.18 8.7.3.3: multipart/related; type="application/octet-stream", or one application/octet-stream body. */
  private static boolean negotiate(String accept) {
    return Negotiation.choose(accept, range -> {
      MediaType part = range.partType();
      if (part != null && part.covers(OCTET_STREAM)) return true;
      if (range.covers(OCTET_STREAM)) return false;
      return null;
    }, "multipart/related; type=\"application/octet-stream\" or application/octet-stream");
  }
}
