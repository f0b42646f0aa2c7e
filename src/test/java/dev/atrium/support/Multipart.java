package dev.atrium.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds STOW-RS request bodies (test data, so held in memory here). */
public final class Multipart {
  public static final String BOUNDARY = "atrium-test-boundary-7d1f";
  public static final String CONTENT_TYPE =
      "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

  private Multipart() {}

  public record Part(String contentType, byte[] body) {
    public static Part dicom(Path file) throws java.io.IOException {
      return new Part("application/dicom", Files.readAllBytes(file));
    }
  }

  public static byte[] body(List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(part.body());
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  public static byte[] body(Path... files) throws java.io.IOException {
    List<Part> parts = new java.util.ArrayList<>();
    for (Path file : files) parts.add(Part.dicom(file));
    return body(parts);
  }
}
