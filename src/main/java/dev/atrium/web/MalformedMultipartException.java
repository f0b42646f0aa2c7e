package dev.atrium.web;

import java.io.IOException;

/** The request body is not the multipart message its Content-Type promises (answered 400). */
final class MalformedMultipartException extends IOException {
  MalformedMultipartException(String message) {
    super(message);
  }
}
