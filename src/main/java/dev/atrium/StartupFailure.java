package dev.atrium;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;

/** The one line an operator reads when Atrium cannot start: what is wrong and where, not an exception's name. */
final class StartupFailure {
  private StartupFailure() {}

  static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof UncheckedIOException && cause.getCause() != null) cause = cause.getCause();
    if (cause instanceof FileAlreadyExistsException e) return e.getFile() + " is in the way: a file, not a directory";
    if (cause instanceof NotDirectoryException e) return e.getFile() + " is not a directory";
    if (cause instanceof AccessDeniedException e) return e.getFile() + ": permission denied";
    if (cause instanceof FileSystemException e) {
      return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
