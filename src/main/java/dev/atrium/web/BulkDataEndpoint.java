package dev.atrium.web;

import dev.atrium.dicom.DicomStructure;
import dev.atrium.dicom.TransferSyntax;
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
 * application/octet-stream body), in the stored byte order (not converted). Encapsulated (compressed)
 * Pixel Data is all its frames, as /frames serves them: one part per frame in its compressed media type,
 * or decoded to application/octet-stream where a codec exists.
 */
final class BulkDataEndpoint implements Route.Endpoint {
  private static final int BUFFER = 64 * 1024;
  static final String OCTET_STREAM = "application/octet-stream";
  private static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
  private static final String BIG_ENDIAN = TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;

  private static final int PIXEL_DATA = 0x7FE00010;
  private final RetrieveService retrieve;
  private final FramesEndpoint frames;

  BulkDataEndpoint(RetrieveService retrieve, FramesEndpoint frames) {
    this.retrieve = retrieve;
    this.frames = frames;
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
    if (tag == PIXEL_DATA && TransferSyntax.of(instance.transferSyntaxUid()).encapsulated()) {
      frames.allFrames(exchange, instance); // compressed: its frames, in their media type or decoded
      return;
    }
    Choice choice = negotiate(exchange.header(HttpHeader.ACCEPT));
    boolean multipart = choice.multipart();
    String bytesAre = TransferSyntax.of(instance.transferSyntaxUid()).littleEndian() ? EXPLICIT_LE : BIG_ENDIAN;
    if (!servable(choice.transferSyntax(), bytesAre)) {
      throw new HttpProblem(406, "bulk data is sent as stored, in " + TransferSyntax.of(bytesAre).describe()
          + " (" + bytesAre + "), not converted to " + choice.transferSyntax() + "; ask for that syntax or *");
    }
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

  /** The packaging asked for, and the transfer syntax (null when none was named). */
  private record Choice(boolean multipart, String transferSyntax) {}

  /** PS3.18 8.7.3.3: multipart/related; type="application/octet-stream", or one application/octet-stream body. */
  private static Choice negotiate(String accept) {
    return Negotiation.choose(accept, range -> {
      MediaType part = range.partType();
      if (part != null && part.covers(OCTET_STREAM)) return new Choice(true, range.transferSyntax());
      if (range.covers(OCTET_STREAM)) return new Choice(false, range.transferSyntax());
      return null;
    }, "multipart/related; type=\"application/octet-stream\" or application/octet-stream");
  }

  /**
   * Whether the stored bytes are what was asked: bulk data is not converted. Uncompressed bulk data defaults to
   * Explicit VR Little Endian (PS3.18 8.7.3.5.2), whose bytes Implicit VR Little Endian shares; "*" takes them as
   * stored (big endian for an instance stored so).
   */
  private static boolean servable(String asked, String bytesAre) {
    if (asked == null) return bytesAre.equals(EXPLICIT_LE);
    if (asked.equals("*") || asked.equals(bytesAre)) return true;
    return bytesAre.equals(EXPLICIT_LE) && asked.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
  }
}
