package dev.atrium.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP over a socket (java.net.http), as a client of the archive sees it. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  public static HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
    if (accept != null) request.header("Accept", accept);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<byte[]> getBytes(String url, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
    if (accept != null) request.header("Accept", accept);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A HEAD request: what came back besides the content, which must be none. */
  public static HttpResponse<byte[]> head(String url, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (accept != null) request.header("Accept", accept);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public static HttpResponse<String> post(String url, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return post(url, contentType, null, body);
  }

  /** With an Accept header (none when null). */
  public static HttpResponse<String> post(String url, String contentType, String accept, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) request.header("Content-Type", contentType);
    if (accept != null) request.header("Accept", accept);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static int delete(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).DELETE().build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
