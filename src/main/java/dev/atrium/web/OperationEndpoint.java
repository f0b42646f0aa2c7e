package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.index.OperationIndex;
import dev.atrium.tags.ExtendedQueryTagService;
import dev.atrium.tags.TagException;

/**
 * GET /operations/{id}: a long-running operation (a reindex) in the Azure DICOM service's shape;
 * 202 while it runs, 200 once it completed or failed.
 */
final class OperationEndpoint implements Route.Endpoint {
  private final ExtendedQueryTagService tags;

  OperationEndpoint(ExtendedQueryTagService tags) {
    this.tags = tags;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    ExtendedQueryTagService.OperationView view;
    try {
      view = tags.operation(exchange.pathParam("operation"));
    } catch (TagException e) {
      throw new HttpProblem(e.kind() == TagException.Kind.NOT_FOUND ? 404 : 400, e.getMessage());
    }
    OperationIndex.Operation op = view.operation();
    boolean done = op.status().equals(OperationIndex.COMPLETED) || op.status().equals(OperationIndex.FAILED);
    try (JsonGenerator json = exchange.startJson(done ? 200 : 202, "application/json")) {
      json.writeStartObject();
      json.writeStringField("operationId", op.id());
      json.writeStringField("type", op.type());
      json.writeStringField("createdTime", ExtendedQueryTagEndpoint.time(op.createdAt()));
      json.writeStringField("lastUpdatedTime", ExtendedQueryTagEndpoint.time(op.updatedAt()));
      json.writeStringField("status", op.status());
      json.writeNumberField("percentComplete", op.percentComplete());
      json.writeArrayFieldStart("resources");
      for (String path : view.tagPaths()) json.writeString(exchange.dicomWebBase() + "/extendedquerytags/" + path);
      json.writeEndArray();
      if (op.failure() != null) {
        json.writeArrayFieldStart("errors");
        json.writeString(op.failure());
        json.writeEndArray();
      }
      json.writeEndObject();
    }
  }
}
