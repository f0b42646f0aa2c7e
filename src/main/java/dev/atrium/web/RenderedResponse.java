package dev.atrium.web;

import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RenderException;
import dev.atrium.retrieve.RenderRequest;
import dev.atrium.retrieve.RenderService;
import dev.atrium.retrieve.RenderedImage;
import java.io.OutputStream;
import java.util.Map;

/**
 * The one rendering response of WADO-RS rendered/thumbnail and WADO-URI: renders (so every
 * refusal is still a status with a message), then streams the encoded image. A request that does
 * not fit the instance is 400, naming the request parameter; an instance that cannot be rendered
 * here (no image, no codec for its transfer syntax, too large) is 406, as PS3.18 8.7 answers a
 * request for a representation the origin server cannot produce.
 */
final class RenderedResponse {
  private RenderedResponse() {}

  /** How a protocol names the request parts a refusal can be about. */
  static Map<RenderException.Subject, String> parameterNames(String frame, String region, String size) {
    return Map.of(RenderException.Subject.FRAME, frame, RenderException.Subject.REGION, region,
        RenderException.Subject.SIZE, size);
  }

  static void send(Exchange exchange, RenderService render, StoredInstance instance, RenderRequest request,
      Map<RenderException.Subject, String> parameterNames) throws Exception {
    RenderedImage image;
    try {
      image = render.render(instance, request);
    } catch (RenderException e) {
      if (e.reason() == RenderException.Reason.BAD_REQUEST) {
        throw new HttpProblem(400, parameterNames.getOrDefault(e.subject(), "request") + ": " + e.getMessage());
      }
      throw new HttpProblem(406, "the instance cannot be rendered as " + request.format().mediaType() + ": "
          + e.getMessage());
    }
    try (OutputStream out = exchange.startBody(200, image.format().mediaType())) {
      image.writeTo(out);
    }
  }
}
