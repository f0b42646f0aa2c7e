package dev.atrium.web;

import dev.atrium.delete.DeleteService;

/** DELETE a study, series or instance: 204 when deleted, 404 when nothing matched, 400 for a bad UID. */
final class DeleteEndpoint implements Route.Endpoint {
  private final DeleteService delete;

  DeleteEndpoint(DeleteService delete) {
    this.delete = delete;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    int deleted = delete.delete(exchange.partition(), exchange.pathParam("study"), exchange.pathParam("series"),
        exchange.pathParam("instance"));
    if (deleted == 0) throw new HttpProblem(404, "nothing in this archive matches " + exchange.request.getHttpURI()
        .getPath());
    exchange.response.setStatus(204);
  }
}
