package dev.atrium.web;

import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS retrieve of a study, a series or an instance (PS3.18 10.4.1.1.1): the stored bytes,
 * unchanged, as multipart/related; type="application/dicom" (an instance may also be a single
 * application/dicom body). Instances stream one after another through a bounded buffer.
 * Transcoding belongs to the retrieve issue; until then a request that only accepts another
 * transfer syntax than the stored one gets 406.
 */
final class WadoEndpoint implements Route.Endpoint {
  private static final int BUFFER = 64 * 1024;
  /** Part headers and small instances coalesce into few socket writes; memory stays bounded. */
  private static final int SOCKET_BUFFER = 256 * 1024;

  enum Level { STUDY, SERIES, INSTANCE }

  private enum Packaging { MULTIPART, SINGLE }

  private final RetrieveService retrieve;
  private final Level level;

  WadoEndpoint(RetrieveService retrieve, Level level) {
    this.retrieve = retrieve;
    this.level = level;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    String accept = exchange.header(HttpHeader.ACCEPT);
    if (level == Level.INSTANCE) {
      StoredInstance instance = retrieve.findInstance(exchange.partition(), study, series, exchange.pathParam("instance"))
          .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
      if (negotiate(accept, List.of(instance.transferSyntaxUid())) == Packaging.SINGLE) {
        exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, instance.blobSize());
        try (InputStream in = retrieve.open(instance);
            OutputStream out = exchange.startBody(200, partType(instance))) {
          in.transferTo(out);
        }
        return;
      }
      try (Multipart out = new Multipart(exchange)) {
        out.part(instance);
      }
      return;
    }
    List<String> syntaxes = retrieve.storedSyntaxes(exchange.partition(), study, series);
    if (syntaxes.isEmpty()) throw new HttpProblem(404, "no such " + level.name().toLowerCase() + " in this archive");
    if (negotiate(accept, syntaxes) == Packaging.SINGLE) {
      throw new HttpProblem(406, "a " + level.name().toLowerCase() + " is returned as multipart/related; "
          + "type=\"application/dicom\", not as a single application/dicom body");
    }
    try (Multipart out = new Multipart(exchange)) {
      retrieve.forEachInstance(exchange.partition(), study, series, out::part);
    }
  }

  private static String partType(StoredInstance instance) {
    return StowEndpoint.DICOM + "; transfer-syntax=" + instance.transferSyntaxUid();
  }

  /** One multipart/related body whose parts are streamed from the store. */
  private final class Multipart implements AutoCloseable {
    private final String boundary = UUID.randomUUID().toString();
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];

    Multipart(Exchange exchange) {
      out = new BufferedOutputStream(exchange.startBody(200,
          "multipart/related; type=\"" + StowEndpoint.DICOM + "\"; boundary=" + boundary), SOCKET_BUFFER);
    }

    void part(StoredInstance instance) throws IOException {
      out.write(("--" + boundary + "\r\nContent-Type: " + partType(instance) + "\r\nContent-Length: "
          + instance.blobSize() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      try (InputStream in = retrieve.open(instance)) {
        for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
      }
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
      out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      out.close();
    }
  }

  /**
   * PS3.18 8.7: the acceptable media range with the highest q that we can serve, else 406. A
   * transfer-syntax parameter other than "*" must be the syntax every instance is stored in.
   */
  static Packaging negotiate(String accept, List<String> storedSyntaxes) {
    List<MediaType> ranges = MediaType.parseList(accept);
    if (ranges.isEmpty()) return Packaging.MULTIPART;
    List<MediaType> ordered = ranges.stream().filter(r -> r.quality() > 0)
        .sorted(Comparator.comparingDouble(MediaType::quality).reversed()).toList();
    for (MediaType range : ordered) {
      String syntax = range.parameter("transfer-syntax");
      boolean syntaxOk = syntax == null || syntax.equals("*")
          || storedSyntaxes.stream().allMatch(syntax::equals);
      if (range.is("*/*") || range.is("multipart/*")) return Packaging.MULTIPART;
      if (range.is("multipart/related")) {
        String type = range.parameter("type");
        if ((type == null || MediaType.parse(type).is(StowEndpoint.DICOM)) && syntaxOk) return Packaging.MULTIPART;
      }
      if ((range.is(StowEndpoint.DICOM) || range.is("application/*")) && syntaxOk) return Packaging.SINGLE;
    }
    throw new HttpProblem(406, "cannot serve any of Accept: " + accept + " (stored as transfer syntax "
        + String.join(", ", storedSyntaxes) + "; transcoding is not available yet)");
  }
}
