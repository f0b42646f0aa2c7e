package dev.atrium.support;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The parts of a multipart/related response (RFC 2046 5.1), with their headers, as a client splits them. */
public final class MultipartResponse {
  private MultipartResponse() {}

  public record Part(Map<String, String> headers, byte[] body) {
    public String contentType() {
      return headers.get("content-type");
    }
  }

  public static List<Part> parts(HttpResponse<byte[]> response) {
    String type = response.headers().firstValue("Content-Type").orElseThrow();
    String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
    byte[] body = response.body();
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = Bytes.indexOf(body, delimiter);
    while (at >= 0) {
      int start = at + delimiter.length;
      if (body[start] == '-' && body[start + 1] == '-') break;
      int headersEnd = Bytes.indexOf(Arrays.copyOfRange(body, start, body.length), "\r\n\r\n".getBytes()) + start + 4;
      int next = Bytes.indexOf(Arrays.copyOfRange(body, headersEnd, body.length), ("\r\n--" + boundary).getBytes())
          + headersEnd;
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : new String(body, start, headersEnd - start, StandardCharsets.US_ASCII).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      parts.add(new Part(headers, Arrays.copyOfRange(body, headersEnd, next)));
      at = next + 2;
    }
    return parts;
  }

  public static List<byte[]> bodies(HttpResponse<byte[]> response) {
    return parts(response).stream().map(Part::body).toList();
  }
}
