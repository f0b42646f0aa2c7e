package dev.atrium.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** Small JSON request bodies and paging parameters of the management APIs (extended query tags). */
final class JsonRequest {
  /** A management request is a few objects; a larger body is refused, never buffered. */
  private static final int MAX_BYTES = 256 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonRequest() {}

  /** The body as JSON, after checking it says application/json. */
  static JsonNode body(Exchange exchange) throws IOException {
    String type = exchange.header(HttpHeader.CONTENT_TYPE);
    if (type == null || !MediaType.parse(type).is("application/json")) {
      throw new HttpProblem(415, "the request body must be application/json, not " + (type == null ? "missing" : type));
    }
    byte[] bytes;
    try (InputStream in = exchange.body()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) throw new HttpProblem(413, "the JSON body is larger than " + MAX_BYTES + " bytes");
    if (bytes.length == 0) throw new HttpProblem(400, "the request body is missing");
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpProblem(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** A property of an object, its name compared without case (as the Azure DICOM service reads them). */
  static String text(JsonNode object, String name, String what) {
    JsonNode value = null;
    for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) object::fields) {
      if (field.getKey().equalsIgnoreCase(name)) value = field.getValue();
    }
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw new HttpProblem(400, what + ": '" + name + "' must be a string");
    return value.asText();
  }

  /** Refuses properties other than {@code known} (a typo would otherwise be silently ignored). */
  static void onlyProperties(JsonNode object, String what, String... known) {
    if (!object.isObject()) throw new HttpProblem(400, what + " must be a JSON object");
    object.fieldNames().forEachRemaining(name -> {
      for (String k : known) if (k.equalsIgnoreCase(name)) return;
      throw new HttpProblem(400, what + ": unknown property '" + name + "' (known: " + String.join(", ", known) + ")");
    });
  }

  /** offset and limit query parameters, checked: limit 1..max (default {@code fallback}), offset ≥ 0. */
  static int[] page(Exchange exchange, int fallback, int max) {
    Fields q = Request.extractQueryParameters(exchange.request);
    return new int[] {bounded(q.getValue("offset"), "offset", 0, 0, Integer.MAX_VALUE),
        bounded(q.getValue("limit"), "limit", fallback, 1, max)};
  }

  private static int bounded(String value, String name, int fallback, int min, int max) {
    if (value == null) return fallback;
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpProblem(400, "query parameter '" + name + "' must be a number from " + min + " to " + max + ", not '"
        + value + "'");
  }
}
