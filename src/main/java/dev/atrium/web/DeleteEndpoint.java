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
    DeleteService.Deleted deleted = delete.delete(exchange.partition(), exchange.pathParam("study"),
        exchange.pathParam("series"), exchange.pathParam("instance"));
    // The audit record names the patient, whom the index may no longer know once the study is gone.
    if (deleted.patientId() != null) exchange.auditPatient(deleted.patientId(), deleted.patientName());
    if (deleted.instances() == 0) throw new HttpProblem(404, "nothing in this archive matches " + exchange.request.getHttpURI()
        .getPath());
    exchange.response.setStatus(204);
  }
}
