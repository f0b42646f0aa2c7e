package dev.atrium.web;

import dev.atrium.dicom.DicomJsonEncoder;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS metadata (PS3.18 10.4.1.1.2) of a study, series or instance: the documents built at
 * store time, concatenated into one DICOM JSON array as the instances stream from the index;
 * no file is parsed per request.
 */
final class MetadataEndpoint implements Route.Endpoint {
  private final RetrieveService retrieve;
  private final WadoEndpoint.Level level;

  MetadataEndpoint(RetrieveService retrieve, WadoEndpoint.Level level) {
    this.retrieve = retrieve;
    this.level = level;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    requireJson(exchange.header(HttpHeader.ACCEPT));
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    String base = exchange.dicomWebBase();
    if (level == WadoEndpoint.Level.INSTANCE) {
      StoredInstance instance = retrieve.findInstance(exchange.partition(), study, series, exchange.pathParam("instance"))
          .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
      try (OutputStream out = exchange.startBody(200, "application/dicom+json")) {
        out.write('[');
        write(out, instance, base);
        out.write(']');
      }
      return;
    }
    if (retrieve.storedSyntaxes(exchange.partition(), study, series).isEmpty()) {
      throw new HttpProblem(404, "no such " + level.name().toLowerCase() + " in this archive");
    }
    try (OutputStream out = exchange.startBody(200, "application/dicom+json")) {
      out.write('[');
      boolean[] first = {true};
      retrieve.forEachInstance(exchange.partition(), study, series, instance -> {
        if (!first[0]) out.write(',');
        first[0] = false;
        write(out, instance, base);
      });
      out.write(']');
    }
  }

  private void write(OutputStream out, StoredInstance i, String base) throws IOException {
    String url = base + "/studies/" + i.studyInstanceUid() + "/series/" + i.seriesInstanceUid() + "/instances/"
        + i.sopInstanceUid();
    String document = new String(retrieve.metadata(i), StandardCharsets.UTF_8);
    out.write(document.replace(DicomJsonEncoder.INSTANCE_URL, url).getBytes(StandardCharsets.UTF_8));
  }

  /** PS3.18 10.4.1.1.2 also defines multipart PS3.19 XML; until it is served, anything else is 406. */
  private static void requireJson(String accept) {
    List<MediaType> ranges = MediaType.parseList(accept);
    if (ranges.isEmpty()) return;
    for (MediaType r : ranges) {
      if (r.quality() > 0 && (r.is("application/dicom+json") || r.is("application/json") || r.is("*/*")
          || r.is("application/*"))) {
        return;
      }
    }
    throw new HttpProblem(406, "metadata is served as application/dicom+json, not " + accept);
  }
}
