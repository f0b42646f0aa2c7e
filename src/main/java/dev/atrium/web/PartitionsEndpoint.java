package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.index.PartitionIndex;
import dev.atrium.partition.PartitionService;
import java.time.ZoneOffset;

/**
 * GET /dicom-web/partitions: the data partitions, in the Azure DICOM service's shape
 * ({@code partitionKey}, {@code partitionName}, {@code createdDate}).
 */
final class PartitionsEndpoint implements Route.Endpoint {
  private final PartitionService partitions;

  PartitionsEndpoint(PartitionService partitions) {
    this.partitions = partitions;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    try (JsonGenerator json = exchange.startJson(200, "application/json")) {
      json.writeStartArray();
      for (PartitionIndex.Row row : partitions.list()) {
        json.writeStartObject();
        json.writeNumberField("partitionKey", row.key());
        json.writeStringField("partitionName", row.name());
        json.writeStringField("createdDate", row.created().atOffset(ZoneOffset.UTC).toString());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
  }
}
