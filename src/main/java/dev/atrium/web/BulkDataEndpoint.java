package dev.atrium.web;

import dev.atrium.dicom.ByteSwap;
import dev.atrium.dicom.DicomStructure;
import dev.atrium.dicom.TransferSyntax;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS bulk data (PS3.18 10.4.1.1.5) of a top-level element, as referenced by the BulkDataURIs
 * of the stored metadata: the value's bytes from the stored file (inflated from a deflated data set, turned to
 * little endian from a big endian one unless asked as stored), in one multipart/related;
 * type="application/octet-stream" part (or, if asked, a single application/octet-stream body). Encapsulated
 * (compressed) Pixel Data is all its frames, as /frames serves them: one part per frame in its compressed media type,
 * or decoded to application/octet-stream where a codec exists.
 */
final class BulkDataEndpoint implements Route.Endpoint {
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
    DicomStructure.ValueLocation value = retrieve.bulkData(instance, tag)
        .orElseThrow(() -> new HttpProblem(404, "the instance has no top-level element " + tagText));
    if (value.length() < 0) {
      throw new HttpProblem(406, "element " + tagText + " is encapsulated (compressed); its bytes are not available as "
          + "application/octet-stream");
    }
    // Explicit VR little endian unless the stored bytes are asked for as they are (PS3.18 8.7.3.5.2): a big endian
    // instance's numbers are turned around.
    String asked = choice.transferSyntax();
    boolean asStored = "*".equals(asked) || BIG_ENDIAN.equals(asked) && value.bigEndian();
    if (!asStored && asked != null && !asked.equals(EXPLICIT_LE)
        && !asked.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
      throw new HttpProblem(406, "bulk data is sent uncompressed, in Explicit VR Little Endian (" + EXPLICIT_LE
          + ") or as stored (transfer-syntax=*), not in " + asked);
    }
    int swapWidth = value.bigEndian() && !asStored && value.vr() != null ? ByteSwap.width(value.vr()) : 0;
    String contentType = OCTET_STREAM + "; transfer-syntax="
        + (value.bigEndian() && asStored ? BIG_ENDIAN : EXPLICIT_LE); // the byte order the value is sent in
    try (InputStream in = retrieve.openValue(instance, value)) {
      if (choice.multipart()) {
        MultipartWriter.respond(exchange, OCTET_STREAM, null,
            out -> ByteSwap.copy(in, out.part(contentType, value.length()), value.length(), swapWidth));
      } else {
        exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, value.length());
        exchange.respond(200, contentType, out -> ByteSwap.copy(in, out, value.length(), swapWidth));
      }
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

}
