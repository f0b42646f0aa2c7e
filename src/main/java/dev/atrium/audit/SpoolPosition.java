package dev.atrium.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the syslog forwarder has sent the audit trail: an offset in the file numbered {@code file}, which is
 * {@code audit-<file>.log} once closed and the live {@code audit.log} until then ({@link AuditFiles}). Saved as
 * "file offset"; a bare offset, as versions before closed files saved it, is in what became the first closed file.
 */
record SpoolPosition(long file, long offset) {
  private static final Logger log = LoggerFactory.getLogger(SpoolPosition.class);
  static final SpoolPosition START = new SpoolPosition(1, 0);

  /** The saved position; the start when none was saved, or when it cannot be read (records then go out again). */
  static SpoolPosition read(Path saved) throws IOException {
    String text;
    try {
      text = Files.readString(saved).trim();
    } catch (NoSuchFileException e) {
      return START;
    }
    try {
      String[] fields = text.split(" ");
      if (fields.length == 1) return new SpoolPosition(1, Long.parseLong(fields[0]));
      if (fields.length == 2) return new SpoolPosition(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    } catch (NumberFormatException e) {
      // reported below
    }
    log.warn("audit trail: {} is unreadable; sending the audit files from their start", saved);
    return START;
  }

  /** Saves the position, whole or not at all. */
  void write(Path saved) throws IOException {
    Path temp = saved.resolveSibling(saved.getFileName() + ".tmp");
    Files.writeString(temp, file + " " + offset);
    Files.move(temp, saved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The start of the next file. */
  SpoolPosition nextFile() {
    return new SpoolPosition(file + 1, 0);
  }
}
