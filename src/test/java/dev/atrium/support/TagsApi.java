package dev.atrium.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The extended query tag API over real HTTP, as a client uses it. */
public final class TagsApi {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String dicomWeb;

  public TagsApi(String dicomWeb) {
    this.dicomWeb = dicomWeb;
  }

  public HttpResponse<String> add(String json) throws IOException, InterruptedException {
    return send("POST", "/extendedquerytags", json);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  public HttpResponse<String> patch(String path, String json) throws IOException, InterruptedException {
    return send("PATCH", path, json);
  }

  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send("DELETE", path, null);
  }

  public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dicomWeb + path)).timeout(Duration.ofSeconds(120))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) request.header("Content-Type", "application/json");
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /**
   * Adds tags (expects 202) and waits until their reindex operation has completed; returns the
   * final operation. The wait is bounded by a number of polls, not a time asserted.
   */
  public JsonNode addAndWait(String json) throws IOException, InterruptedException {
    HttpResponse<String> added = add(json);
    if (added.statusCode() != 202) throw new AssertionError("POST extendedquerytags: " + added.statusCode() + " "
        + added.body());
    return waitFor(json(added).get("id").asText());
  }

  public JsonNode waitFor(String operationId) throws IOException, InterruptedException {
    for (int poll = 0; poll < 6000; poll++) {
      HttpResponse<String> op = get("/operations/" + operationId);
      JsonNode body = json(op);
      String status = body.path("status").asText();
      if (status.equals("completed") || status.equals("failed")) return body;
      Thread.sleep(50);
    }
    throw new AssertionError("operation " + operationId + " did not finish");
  }
}
