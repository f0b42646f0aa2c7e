package dev.atrium.web;

import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS instance retrieve (PS3.18 10.4.1.1.1): the stored bytes, unchanged, as
 * multipart/related; type="application/dicom" (the default) or a single application/dicom body.
 * Transcoding to another transfer syntax belongs to the retrieve issue; until then a request
 * that only accepts another syntax gets 406.
 */
final class InstanceEndpoint implements Route.Endpoint {
  private static final int BUFFER = 64 * 1024;

  private final RetrieveService retrieve;
  private final String partition;

  InstanceEndpoint(RetrieveService retrieve, String partition) {
    this.retrieve = retrieve;
    this.partition = partition;
  }

  private enum Packaging { MULTIPART, SINGLE }

  @Override
  public void serve(Exchange exchange) throws Exception {
    StoredInstance instance = retrieve.findInstance(partition, exchange.pathParam("study"),
            exchange.pathParam("series"), exchange.pathParam("instance"))
        .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
    Packaging packaging = negotiate(exchange.header(HttpHeader.ACCEPT), instance.transferSyntaxUid());
    String partType = StowEndpoint.DICOM + "; transfer-syntax=" + instance.transferSyntaxUid();
    try (InputStream in = retrieve.open(instance)) {
      if (packaging == Packaging.SINGLE) {
        exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, instance.blobSize());
        try (OutputStream out = exchange.startBody(200, partType)) {
          in.transferTo(out);
        }
        return;
      }
      String boundary = UUID.randomUUID().toString();
      String contentType = "multipart/related; type=\"" + StowEndpoint.DICOM + "\"; boundary=" + boundary;
      try (OutputStream out = exchange.startBody(200, contentType)) {
        out.write(("--" + boundary + "\r\nContent-Type: " + partType + "\r\nContent-Length: " + instance.blobSize()
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  /** PS3.18 8.7: the acceptable media range with the highest q that we can serve, else 406. */
  static Packaging negotiate(String accept, String storedSyntax) {
    List<MediaType> ranges = MediaType.parseList(accept);
    if (ranges.isEmpty()) return Packaging.MULTIPART;
    List<MediaType> ordered = ranges.stream().filter(r -> r.quality() > 0)
        .sorted(Comparator.comparingDouble(MediaType::quality).reversed()).toList();
    for (MediaType range : ordered) {
      String syntax = range.parameter("transfer-syntax");
      boolean syntaxOk = syntax == null || syntax.equals("*") || syntax.equals(storedSyntax);
      if (range.is("*/*") || range.is("multipart/*")) return Packaging.MULTIPART;
      if (range.is("multipart/related")) {
        String type = range.parameter("type");
        if ((type == null || MediaType.parse(type).is(StowEndpoint.DICOM)) && syntaxOk) return Packaging.MULTIPART;
      }
      if ((range.is(StowEndpoint.DICOM) || range.is("application/*")) && syntaxOk) return Packaging.SINGLE;
    }
    throw new HttpProblem(406, "cannot serve any of Accept: " + accept + " (this instance is stored as transfer "
        + "syntax " + storedSyntax + "; transcoding is not available yet)");
  }
}
