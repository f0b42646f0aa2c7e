package dev.atrium.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the router (an ambiguous path such as
 * {@code //dicom-web} or {@code %2F} in a segment, a bad header): the same JSON body as every other error,
 * not Jetty's HTML page, with the same CORS grant, so that a web viewer can read why.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final CrossOrigin crossOrigin;

  JsonErrorHandler(CrossOrigin crossOrigin) {
    this.crossOrigin = crossOrigin;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    crossOrigin.grantResponse(request, response.getHeaders());
    Router.writeProblem(request, response, callback, code, message == null || message.isBlank()
        ? "the request cannot be served (HTTP " + code + ")" : message);
  }
}
