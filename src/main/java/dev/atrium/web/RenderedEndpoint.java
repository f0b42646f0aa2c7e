package dev.atrium.web;

import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RenderException;
import dev.atrium.retrieve.RenderRequest;
import dev.atrium.retrieve.RenderService;
import dev.atrium.retrieve.RetrieveService;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * WADO-RS Retrieve Rendered and Thumbnail (PS3.18 10.4.1.1.3, 10.4.1.1.4) of an instance or one
 * of its frames, and the thumbnail of a study or series (its first renderable instance). An
 * instance without a frame in the path renders its first frame. JPEG and PNG hold one image, so a
 * frame list names exactly one frame.
 */
final class RenderedEndpoint implements Route.Endpoint {
  enum Target { STUDY, SERIES, INSTANCE, FRAME }

  private static final Map<RenderException.Subject, String> PARAMETERS = RenderedResponse.parameterNames(
      "frame number in the path", "query parameter 'viewport'", "query parameter 'viewport'");

  private final RenderService render;
  private final RetrieveService retrieve;
  private final Target target;
  private final boolean thumbnail;

  RenderedEndpoint(RenderService render, RetrieveService retrieve, Target target, boolean thumbnail) {
    this.render = render;
    this.retrieve = retrieve;
    this.target = target;
    this.thumbnail = thumbnail;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    int frame = target == Target.FRAME ? frame(exchange.pathParam("frames")) : 1;
    RenderRequest request = RenderedParameters.parse(Request.extractQueryParameters(exchange.request),
        exchange.header(HttpHeader.ACCEPT), frame, thumbnail);
    RenderedResponse.send(exchange, render, instance(exchange), request, PARAMETERS);
  }

  private StoredInstance instance(Exchange exchange) throws Exception {
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    if (target == Target.INSTANCE || target == Target.FRAME) {
      return retrieve.findInstance(exchange.partition(), study, series, exchange.pathParam("instance"))
          .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
    }
    String level = target == Target.STUDY ? "study" : "series";
    try {
      return render.representative(exchange.partition(), study, series)
          .orElseThrow(() -> new HttpProblem(404, "no such " + level + " in this archive"));
    } catch (RenderException e) {
      throw new HttpProblem(406, "no thumbnail for this " + level + ": " + e.getMessage());
    }
  }

  /** The one frame number of a /frames/{n}/rendered path (PS3.18 10.4.1.1.3: frames are numbered from 1). */
  private static int frame(String list) {
    if (list.contains(",")) {
      throw new HttpProblem(400, "frame list '" + list + "': a rendered JPEG or PNG holds one frame; ask for one");
    }
    try {
      int n = Integer.parseInt(list);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpProblem(400, "frame number '" + list + "' must be a whole number from 1");
  }
}
