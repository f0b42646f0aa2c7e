package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.index.ExtendedTag;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.tags.ExtendedQueryTagService;
import dev.atrium.tags.ExtendedQueryTagService.TagRequest;
import dev.atrium.tags.TagException;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * /extendedquerytags in the Azure DICOM service's shapes: POST adds tags (202 with the reindex
 * operation), GET lists them or one, PATCH sets QueryStatus, DELETE removes one, /errors lists
 * the instances whose value could not be indexed. Tags are global: the same under every partition.
 */
final class ExtendedQueryTagEndpoint implements Route.Endpoint {
  enum Action { ADD, LIST, GET, PATCH, DELETE, ERRORS }

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 200;

  private final ExtendedQueryTagService tags;
  private final Action action;

  ExtendedQueryTagEndpoint(ExtendedQueryTagService tags, Action action) {
    this.tags = tags;
    this.action = action;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    try {
      switch (action) {
        case ADD -> add(exchange);
        case LIST -> {
          int[] page = JsonRequest.page(exchange, DEFAULT_LIMIT, MAX_LIMIT);
          List<ExtendedTag> list = tags.list(page[0], page[1]);
          try (JsonGenerator json = exchange.startJson(200, "application/json")) {
            json.writeStartArray();
            for (ExtendedTag tag : list) write(json, tag, exchange.dicomWebBase());
            json.writeEndArray();
          }
        }
        case GET -> writeTag(exchange, tags.get(path(exchange)));
        case PATCH -> {
          JsonNode body = JsonRequest.body(exchange);
          JsonRequest.onlyProperties(body, "the update", "QueryStatus");
          String status = JsonRequest.text(body, "QueryStatus", "the update");
          if (status == null) throw new HttpProblem(400, "the update needs QueryStatus (Enabled or Disabled)");
          writeTag(exchange, tags.setQueryStatus(path(exchange), status));
        }
        case DELETE -> {
          tags.delete(path(exchange));
          exchange.response.setStatus(204);
        }
        case ERRORS -> errors(exchange);
      }
    } catch (TagException e) {
      throw new HttpProblem(switch (e.kind()) {
        case INVALID -> 400;
        case NOT_FOUND -> 404;
        case CONFLICT -> 409;
      }, e.getMessage());
    }
  }

  private void add(Exchange exchange) throws IOException {
    JsonNode body = JsonRequest.body(exchange);
    if (!body.isArray()) throw new HttpProblem(400, "the body must be a JSON array of extended query tags");
    List<TagRequest> requests = new ArrayList<>();
    for (JsonNode item : body) {
      JsonRequest.onlyProperties(item, "an extended query tag", "Path", "VR", "PrivateCreator", "Level");
      String what = "an extended query tag";
      requests.add(new TagRequest(JsonRequest.text(item, "Path", what), JsonRequest.text(item, "VR", what),
          JsonRequest.text(item, "PrivateCreator", what), JsonRequest.text(item, "Level", what)));
    }
    String id = tags.add(requests);
    String href = exchange.dicomWebBase() + "/operations/" + id;
    exchange.response.getHeaders().put(HttpHeader.LOCATION, href);
    try (JsonGenerator json = exchange.startJson(202, "application/json")) {
      json.writeStartObject();
      json.writeStringField("id", id);
      json.writeStringField("href", href);
      json.writeEndObject();
    }
  }

  private void errors(Exchange exchange) throws IOException {
    int[] page = JsonRequest.page(exchange, DEFAULT_LIMIT, MAX_LIMIT);
    List<ExtendedTagIndex.TagError> errors = tags.errors(path(exchange), page[0], page[1]);
    try (JsonGenerator json = exchange.startJson(200, "application/json")) {
      json.writeStartArray();
      for (ExtendedTagIndex.TagError e : errors) {
        json.writeStartObject();
        json.writeStringField("studyInstanceUid", e.studyUid());
        json.writeStringField("seriesInstanceUid", e.seriesUid());
        json.writeStringField("sopInstanceUid", e.sopUid());
        json.writeStringField("partitionName", e.partition());
        json.writeStringField("createdTime", time(e.createdAt()));
        json.writeStringField("errorMessage", e.message());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
  }

  private static String path(Exchange exchange) {
    return exchange.pathParam("tag");
  }

  private static void writeTag(Exchange exchange, ExtendedTag tag) throws IOException {
    try (JsonGenerator json = exchange.startJson(200, "application/json")) {
      write(json, tag, exchange.dicomWebBase());
    }
  }

  /** The Azure DICOM service's Extended Query Tag: errors and operation only when there are some. */
  private static void write(JsonGenerator json, ExtendedTag tag, String base) throws IOException {
    String href = base + "/extendedquerytags/" + tag.path();
    json.writeStartObject();
    json.writeStringField("path", tag.path());
    json.writeStringField("vr", tag.vr());
    if (tag.privateCreator() != null) json.writeStringField("privateCreator", tag.privateCreator());
    json.writeStringField("level", ExtendedTag.levelName(tag.level()));
    json.writeStringField("status", tag.status());
    json.writeStringField("queryStatus", tag.queryStatus());
    if (tag.errorCount() > 0) {
      json.writeObjectFieldStart("errors");
      json.writeNumberField("count", tag.errorCount());
      json.writeStringField("href", href + "/errors");
      json.writeEndObject();
    }
    if (tag.status().equals(ExtendedTag.ADDING) && tag.operationId() != null) {
      json.writeObjectFieldStart("operation");
      json.writeStringField("id", tag.operationId());
      json.writeStringField("href", base + "/operations/" + tag.operationId());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  static String time(LocalDateTime utc) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(utc.atOffset(ZoneOffset.UTC));
  }
}
