package dev.atrium.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit trail's files in its directory: the live one, {@code audit.log}, which records are appended to, and the
 * closed ones it became when it grew past its size ({@code audit-1.log}, {@code audit-2.log}, … in the order they
 * were closed). A closed file is never written again: an operator may compress, ship or delete it once it has been
 * sent to syslog (the forwarder's position names the file it reads).
 */
final class AuditFiles {
  static final String LIVE = "audit.log";
  private static final Pattern CLOSED = Pattern.compile("audit-(\\d{1,18})\\.log");

  private final Path directory;

  AuditFiles(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  Path live() {
    return directory.resolve(LIVE);
  }

  Path closed(long number) {
    return directory.resolve("audit-" + number + ".log");
  }

  /** The numbers of the closed files, in the order they were closed. */
  List<Long> closedNumbers() throws IOException {
    List<Long> numbers = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "audit-*.log")) {
      for (Path entry : entries) {
        Matcher m = CLOSED.matcher(entry.getFileName().toString());
        if (m.matches()) numbers.add(Long.parseLong(m.group(1)));
      }
    }
    numbers.sort(null);
    return numbers;
  }

  /** The number the live file takes when it is closed: one more than the last closed one. */
  long liveNumber() throws IOException {
    List<Long> closed = closedNumbers();
    return closed.isEmpty() ? 1 : closed.get(closed.size() - 1) + 1;
  }
}
