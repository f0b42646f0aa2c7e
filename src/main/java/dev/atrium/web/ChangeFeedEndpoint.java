package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.changefeed.ChangeFeedRequest;
import dev.atrium.changefeed.ChangeFeedService;
import dev.atrium.dicom.DicomJsonEncoder;
import dev.atrium.index.ChangeFeedIndex;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** GET /changefeed (v1), /v2/changefeed and their /latest, in the Azure DICOM service's JSON shape. */
final class ChangeFeedEndpoint implements Route.Endpoint {
  enum Shape { V1, V2, LATEST }

  private final ChangeFeedService feed;
  private final RetrieveService retrieve;
  private final Shape shape;

  ChangeFeedEndpoint(ChangeFeedService feed, RetrieveService retrieve, Shape shape) {
    this.feed = feed;
    this.retrieve = retrieve;
    this.shape = shape;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Parameters q = new Parameters(Request.extractQueryParameters(exchange.request));
    if (shape == Shape.LATEST) {
      List<ChangeFeedIndex.Row> latest = feed.latest(scope(exchange));
      if (latest.isEmpty()) { // no entry yet: 204, as the Azure DICOM service answers its null latest entry
        exchange.response.setStatus(204);
        return;
      }
      boolean metadata;
      try {
        metadata = ChangeFeedRequest.includeMetadata(q.get("includeMetadata"));
      } catch (IllegalArgumentException e) {
        throw new HttpProblem(400, e.getMessage());
      }
      try (JsonGenerator json = exchange.startJson(200, "application/json")) {
        write(json, latest.get(0), metadata, exchange);
      }
      return;
    }
    ChangeFeedRequest request;
    try {
      request = shape == Shape.V1
          ? ChangeFeedRequest.v1(q.get("offset"), q.get("limit"), q.get("includeMetadata"))
          : ChangeFeedRequest.v2(q.get("startTime"), q.get("endTime"), q.get("offset"), q.get("limit"),
              q.get("includeMetadata"));
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, e.getMessage());
    }
    List<ChangeFeedIndex.Row> rows = feed.read(scope(exchange), request);
    try (JsonGenerator json = exchange.startJson(200, "application/json")) {
      json.writeStartArray();
      for (ChangeFeedIndex.Row row : rows) write(json, row, request.includeMetadata(), exchange);
      json.writeEndArray();
    }
  }

  /**
   * The feed at the DICOMweb root spans every partition, as the Azure DICOM service's (its change feed stays at the
   * base URI when partitions are on); under /partitions/{name} it is that partition's.
   */
  private static String scope(Exchange exchange) {
    return exchange.partitioned() ? exchange.partition() : null;
  }

  private void write(JsonGenerator json, ChangeFeedIndex.Row row, boolean metadata, Exchange exchange)
      throws IOException {
    json.writeStartObject();
    json.writeNumberField("Sequence", row.sequence());
    json.writeStringField("StudyInstanceUid", row.studyUid());
    json.writeStringField("SeriesInstanceUid", row.seriesUid());
    json.writeStringField("SopInstanceUid", row.sopUid());
    json.writeStringField("Action", row.action());
    json.writeStringField("Timestamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        row.timestamp().atOffset(ZoneOffset.UTC)));
    json.writeStringField("State", row.state());
    json.writeStringField("PartitionName", row.partition());
    if (metadata && row.current() != null) {
      String url = exchange.dicomWebBase(row.partition()) + "/studies/" + row.studyUid() + "/series/" + row.seriesUid() + "/instances/" + row.sopUid();
      json.writeFieldName("Metadata");
      json.writeRawValue(new String(retrieve.metadata(row.current()), StandardCharsets.UTF_8)
          .replace(DicomJsonEncoder.INSTANCE_URL, url));
    }
    json.writeEndObject();
  }

  /** Query parameters by name in any case (includemetadata, includeMetadata), as the Azure DICOM service reads them. */
  private record Parameters(Fields fields) {
    String get(String name) {
      for (Fields.Field field : fields) {
        if (field.getName().equalsIgnoreCase(name)) {
          if (field.getValues().size() != 1) {
            throw new HttpProblem(400, "query parameter '" + name + "' is given more than once");
          }
          return field.getValue();
        }
      }
      return null;
    }
  }
}
