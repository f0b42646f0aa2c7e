package dev.atrium.store;

import java.nio.file.FileSystemException;
import java.util.regex.Pattern;

/**
 * What a client is told of a storage failure: the kind of fault ("No space left on device"), never the archive's
 * file paths, which go to the log with the rest of the exception.
 */
final class IoFailureText {
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.])/[^\\s:;,'\"]+");

  private IoFailureText() {}

  static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FileSystemException fs) return fs.getReason() == null ? "file system error" : fs.getReason();
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) return failure.getClass().getSimpleName();
    return ABSOLUTE_PATH.matcher(message).replaceAll("(path)");
  }
}
