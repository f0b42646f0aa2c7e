package dev.atrium.web;

import dev.atrium.dicom.DicomUid;
import dev.atrium.dicom.ImagePixels;
import dev.atrium.dicom.UnsupportedTranscodingException;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RenderException;
import dev.atrium.retrieve.RenderRequest;
import dev.atrium.retrieve.RenderService;
import dev.atrium.retrieve.RenderedFormat;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.retrieve.VoiFunction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * WADO-URI (PS3.18 9): {@code GET /wado?requestType=WADO&studyUID=&seriesUID=&objectUID=} with
 * contentType application/dicom (the stored instance), image/jpeg or image/png (rendered through
 * the same path as WADO-RS /rendered). The partition is the exchange's, which for /wado (no
 * /dicom-web/partitions/{name} prefix) is always the default partition.
 *
 * <p>Without contentType the answer is image/jpeg for a single-frame image, or for a multi-frame one when
 * rendering is asked for (frameNumber, windowCenter, …), else application/dicom (PS3.18 9.4.1.1 makes image/jpeg
 * the default for single-frame images and leaves others to the server). An absent or "*" transferSyntax (9.4.2.4) sends the instance as stored; another one
 * transcodes it through the retrieve path (the same code as WADO-RS and C-MOVE/C-GET), and one
 * the archive cannot produce is 406 naming it. anonymize, annotation and presentation states are
 * not supported: 400 rather than a silently different answer.
 */
final class WadoUriEndpoint implements Route.Endpoint {
  private static final String DICOM = "application/dicom";
  private static final List<String> RENDERING = List.of("frameNumber", "windowCenter", "windowWidth", "rows",
      "columns", "region", "imageQuality", "quality");
  private static final List<String> UNSUPPORTED = List.of("anonymize", "annotation", "presentationUID",
      "presentationSeriesUID");
  private static final Map<RenderException.Subject, String> PARAMETERS = RenderedResponse.parameterNames(
      "query parameter 'frameNumber'", "query parameter 'region'", "query parameters 'rows' and 'columns'");

  private final RenderService render;
  private final RetrieveService retrieve;

  WadoUriEndpoint(RenderService render, RetrieveService retrieve) {
    this.render = render;
    this.retrieve = retrieve;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Fields query = Request.extractQueryParameters(exchange.request);
    String requestType = QueryValues.single(query, "requestType");
    if (!"WADO".equals(requestType)) {
      throw new HttpProblem(400, "query parameter 'requestType' must be WADO (PS3.18 9.1.2), not "
          + (requestType == null ? "absent" : "'" + requestType + "'"));
    }
    for (String name : UNSUPPORTED) {
      if (QueryValues.single(query, name) != null) {
        throw new HttpProblem(400, "query parameter '" + name + "' is not supported by this server");
      }
    }
    String study = required(query, "studyUID");
    String series = required(query, "seriesUID");
    String object = required(query, "objectUID");
    String contentType = QueryValues.single(query, "contentType");
    StoredInstance instance = retrieve.findInstance(exchange.partition(), study, series, object)
        .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
    String chosen = contentType(contentType, instance, query);
    if (chosen.equals(DICOM)) {
      sendDicom(exchange, query, instance);
      return;
    }
    if (QueryValues.single(query, "transferSyntax") != null) {
      throw new HttpProblem(400, "query parameter 'transferSyntax' is only for contentType application/dicom");
    }
    RenderedFormat format = chosen.equals(RenderedFormat.PNG.mediaType()) ? RenderedFormat.PNG : RenderedFormat.JPEG;
    RenderedResponse.send(exchange, render, instance, renderRequest(query, format), PARAMETERS);
  }

  private static String required(Fields query, String name) {
    String value = QueryValues.single(query, name);
    if (value == null || value.isEmpty()) throw new HttpProblem(400, "query parameter '" + name + "' is required");
    return value;
  }

  /** contentType is a list of media types with q values (PS3.18 9.4.1.1); absent: see the class comment. */
  private String contentType(String contentType, StoredInstance instance, Fields query) throws Exception {
    if (contentType == null) {
      Optional<ImagePixels> image = render.describe(instance);
      boolean renderingAsked = RENDERING.stream().anyMatch(name -> QueryValues.single(query, name) != null);
      return image.isPresent() && (image.get().numberOfFrames() == 1 || renderingAsked)
          ? RenderedFormat.JPEG.mediaType() : DICOM;
    }
    return Negotiation.chooseType(contentType, "query parameter 'contentType'",
        List.of(RenderedFormat.JPEG.mediaType(), RenderedFormat.PNG.mediaType(), DICOM));
  }

  private void sendDicom(Exchange exchange, Fields query, StoredInstance instance) throws Exception {
    for (String name : RENDERING) {
      if (QueryValues.single(query, name) != null) {
        throw new HttpProblem(400, "query parameter '" + name + "' is for rendered images, not with contentType "
            + "application/dicom (PS3.18 9.5.1)");
      }
    }
    String syntax = QueryValues.single(query, "transferSyntax");
    String target = syntax == null || syntax.equals("*") ? RetrieveService.AS_STORED : syntax;
    if (syntax != null && !syntax.equals("*")) DicomUid.require(syntax, "query parameter 'transferSyntax'");
    try {
      retrieve.checkTranscodable(instance, target);
    } catch (UnsupportedTranscodingException e) {
      throw new HttpProblem(406, "query parameter 'transferSyntax': " + e.getMessage());
    }
    WadoEndpoint.respondSingle(exchange, retrieve, instance, target, DICOM, "");
  }

  private static RenderRequest renderRequest(Fields query, RenderedFormat format) {
    String frame = QueryValues.single(query, "frameNumber");
    String center = QueryValues.single(query, "windowCenter");
    String width = QueryValues.single(query, "windowWidth");
    if ((center == null) != (width == null)) {
      throw new HttpProblem(400, "query parameters 'windowCenter' and 'windowWidth' come together (PS3.18 9.5.1)");
    }
    RenderRequest.Window window = null;
    if (center != null) {
      double w = QueryValues.decimal("windowWidth", width);
      if (w < 1) throw new HttpProblem(400, "query parameter 'windowWidth' must be at least 1 (PS3.3 C.11.2.1.2), not " + width);
      window = new RenderRequest.Window(QueryValues.decimal("windowCenter", center), w, VoiFunction.LINEAR);
    }
    String rows = QueryValues.single(query, "rows");
    String columns = QueryValues.single(query, "columns");
    RenderRequest.Size size = rows == null && columns == null ? null : new RenderRequest.Size(
        columns == null ? 0 : QueryValues.integer("columns", columns, 1, 65535),
        rows == null ? 0 : QueryValues.integer("rows", rows, 1, 65535), true);
    String quality = QueryValues.single(query, "imageQuality");
    if (quality == null) quality = QueryValues.single(query, "quality");
    return new RenderRequest(frame == null ? 1 : QueryValues.integer("frameNumber", frame, 1, Integer.MAX_VALUE),
        window, region(QueryValues.single(query, "region")), size,
        quality == null ? RenderRequest.DEFAULT_QUALITY : QueryValues.integer("imageQuality", quality, 1, 100), format);
  }

  /** region=x1,y1,x2,y2: the top left and bottom right corners as fractions of the image (PS3.18 9.5.1). */
  private static RenderRequest.Region region(String value) {
    if (value == null) return null;
    String[] r = QueryValues.parts("region", value, "x1,y1,x2,y2 with fractions from 0 to 1", 4);
    double[] c = new double[4];
    for (int i = 0; i < 4; i++) c[i] = QueryValues.decimal("region", r[i]);
    if (c[0] < 0 || c[1] < 0 || c[2] > 1 || c[3] > 1 || c[0] >= c[2] || c[1] >= c[3]) {
      throw new HttpProblem(400, "query parameter 'region' must be x1,y1,x2,y2 with 0 <= x1 < x2 <= 1 and "
          + "0 <= y1 < y2 <= 1, not '" + value + "'");
    }
    return new RenderRequest.Region(c[0], c[1], c[2] - c[0], c[3] - c[1], true);
  }
}
