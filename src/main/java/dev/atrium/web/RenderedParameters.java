package dev.atrium.web;

import dev.atrium.retrieve.RenderRequest;
import dev.atrium.retrieve.RenderedFormat;
import dev.atrium.retrieve.VoiFunction;
import java.util.List;
import org.eclipse.jetty.util.Fields;

/**
 * The query parameters of a WADO-RS rendered or thumbnail request (PS3.18 8.3.5.1): window,
 * viewport, quality, and the media type from the accept parameter (8.3.3.1) or the Accept header.
 * Parameters this server does not implement (annotation, an ICC profile other than "no") are a
 * 400 rather than silently ignored; unknown ones are ignored, as PS3.18 8.3.5.1 leaves them to the
 * origin server.
 */
final class RenderedParameters {
  /** Thumbnails without a viewport fit in this square (PS3.18 10.4.1.1.4 leaves the size to the server). */
  static final int THUMBNAIL_SIZE = 128;
  private static final List<String> OFFERED = List.of(RenderedFormat.JPEG.mediaType(), RenderedFormat.PNG.mediaType());

  private RenderedParameters() {}

  static RenderRequest parse(Fields query, String acceptHeader, int frame, boolean thumbnail) {
    if (QueryValues.single(query, "annotation") != null) {
      throw new HttpProblem(400, "query parameter 'annotation' is not supported: this server burns in no annotations");
    }
    String icc = QueryValues.single(query, "iccprofile");
    if (icc != null && !icc.equals("no")) {
      throw new HttpProblem(400, "query parameter 'iccprofile': only 'no' is supported, not '" + icc + "'");
    }
    String accept = QueryValues.single(query, "accept");
    RenderedFormat format = accept != null ? format(accept, "query parameter 'accept'")
        : format(acceptHeader, "Accept");
    String window = QueryValues.single(query, "window");
    String viewport = QueryValues.single(query, "viewport");
    String quality = QueryValues.single(query, "quality");
    RenderRequest.Size size = thumbnail ? new RenderRequest.Size(THUMBNAIL_SIZE, THUMBNAIL_SIZE, false) : null;
    RenderRequest.Region region = null;
    if (viewport != null) {
      String[] v = QueryValues.parts("viewport", viewport, "vw,vh or vw,vh,sx,sy,sw,sh", 2, 6);
      int vw = QueryValues.integer("viewport", v[0], 1, 65535);
      int vh = QueryValues.integer("viewport", v[1], 1, 65535);
      if ((long) vw * vh > RenderRequest.Size.MAX_PIXELS) {
        throw new HttpProblem(400, "query parameter 'viewport': " + vw + "x" + vh + " is more than the "
            + RenderRequest.Size.MAX_PIXELS + " pixels this server renders");
      }
      size = new RenderRequest.Size(vw, vh, true);
      if (v.length == 6) region = region(v);
    }
    return new RenderRequest(frame, window == null ? null : window(window), region, size,
        quality == null ? RenderRequest.DEFAULT_QUALITY : QueryValues.integer("quality", quality, 1, 100), format);
  }

  /** PS3.18 8.7.4: image/jpeg unless the client asks for image/png; anything else is 406. */
  static RenderedFormat format(String accept, String from) {
    String chosen = Negotiation.chooseType(accept, from, OFFERED);
    return chosen.equals(RenderedFormat.PNG.mediaType()) ? RenderedFormat.PNG : RenderedFormat.JPEG;
  }

  /** window=center,width[,function] (PS3.18 8.3.5.1.4; the function defaults to linear, C.11.2.1.2). */
  private static RenderRequest.Window window(String value) {
    String[] w = QueryValues.parts("window", value, "center,width,function", 2, 3);
    double center = QueryValues.decimal("window", w[0]);
    double width = QueryValues.decimal("window", w[1]);
    VoiFunction function = w.length == 2 ? VoiFunction.LINEAR : VoiFunction.byName(w[2]).orElseThrow(() ->
        new HttpProblem(400, "query parameter 'window': the function must be linear, linear-exact or sigmoid, not '"
            + w[2] + "'"));
    if (!(width >= function.minimumWidth())) {
      throw new HttpProblem(400, "query parameter 'window': a " + function.parameterName() + " window needs a width "
          + (function == VoiFunction.LINEAR ? "of at least 1" : "above 0") + " (PS3.3 C.11.2.1.2), not " + w[1]);
    }
    return new RenderRequest.Window(center, width, function);
  }

  /** sx,sy default to 0 and sw,sh to the rest of the frame when left empty (PS3.18 8.3.5.1.3). */
  private static RenderRequest.Region region(String[] v) {
    double sx = v[2].isBlank() ? 0 : QueryValues.decimal("viewport", v[2]);
    double sy = v[3].isBlank() ? 0 : QueryValues.decimal("viewport", v[3]);
    double sw = v[4].isBlank() ? Double.NaN : QueryValues.decimal("viewport", v[4]);
    double sh = v[5].isBlank() ? Double.NaN : QueryValues.decimal("viewport", v[5]);
    if (sx < 0 || sy < 0 || sw == 0 || sh == 0) {
      throw new HttpProblem(400, "query parameter 'viewport': sx and sy must not be negative and sw, sh not 0, in '"
          + String.join(",", v) + "'");
    }
    return new RenderRequest.Region(sx, sy, sw, sh, false);
  }
}
