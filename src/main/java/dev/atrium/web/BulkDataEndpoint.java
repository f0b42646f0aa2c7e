package dev.atrium.web;

import dev.atrium.dicom.DicomStructure;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * WADO-RS bulk data (PS3.18 10.4.1.1.5) of a top-level element, as referenced by the BulkDataURIs
 * of the stored metadata: the value's bytes straight from the stored file, in one
 * multipart/related; type="application/octet-stream" part. Encapsulated (compressed) Pixel Data
 * is served frame by frame by /frames, not here.
 */
final class BulkDataEndpoint implements Route.Endpoint {
  private static final int BUFFER = 64 * 1024;

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
    DicomStructure.ValueLocation value = retrieve.bulkData(instance, tag)
        .orElseThrow(() -> new HttpProblem(404, "the instance has no top-level element " + tagText));
    if (value.deflated() || value.length() < 0) {
      throw new HttpProblem(406, "element " + tagText + " is " + (value.deflated() ? "in a deflated data set"
          : "encapsulated (compressed)") + "; its bytes are not available as application/octet-stream");
    }
    String boundary = UUID.randomUUID().toString();
    try (InputStream in = retrieve.open(instance);
        OutputStream out = exchange.startBody(200,
            "multipart/related; type=\"application/octet-stream\"; boundary=" + boundary)) {
      in.skipNBytes(value.offset());
      out.write(("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + value.length()
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[BUFFER];
      for (long left = value.length(); left > 0; ) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) throw new java.io.EOFException("stored file shorter than its element says");
        out.write(buffer, 0, n);
        left -= n;
      }
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }
  }
}
