package dev.atrium.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file beside an embedded H2 index while it is open, gone after a clean close: found at the next open, it says
 * the archive stopped uncleanly, and H2 is then made to rewrite its file (SHUTDOWN COMPACT) before anything else
 * uses it. After one kill in the crash test, H2 came back with a row that every later update of it spun on forever
 * (TransactionMap.set at 100 % CPU, past LOCK_TIMEOUT): the journal replay, and so the start, never ended. Opening
 * and closing the file left it so; a SHUTDOWN COMPACT cleared it. It costs a rewrite of the index file, only after an
 * unclean stop (289 ms for that 1 MB file).
 */
final class UncleanStopMarker {
  private static final Logger log = LoggerFactory.getLogger(UncleanStopMarker.class);
  /** Index files open in this JVM, and how many times: a second open (a test's inspector) shares the database. */
  private static final Map<Path, Integer> OPEN = new HashMap<>();

  private final Path marker;
  private final boolean rewrote;

  private UncleanStopMarker(Path marker, boolean rewrote) {
    this.marker = marker;
    this.rewrote = rewrote;
  }

  /** Whether this open found an unclean stop and had H2 rewrite its file. */
  boolean rewrote() {
    return rewrote;
  }

  /**
   * Before the index at {@code jdbcUrl} (an H2 file {@code store}) is opened: rewrites it if the last stop was
   * unclean, then marks it open.
   */
  static synchronized UncleanStopMarker open(String jdbcUrl, String user, String password, Path store)
      throws IOException {
    Path marker = store.resolveSibling(store.getFileName() + ".open").toAbsolutePath();
    boolean rewrite = !OPEN.containsKey(marker) && Files.exists(marker) && Files.exists(store);
    if (rewrite) {
      log.warn("recovery: the index was not closed cleanly; H2 rewrites its file before use (SHUTDOWN COMPACT)");
      long started = System.nanoTime();
      try (Connection c = user == null ? DriverManager.getConnection(jdbcUrl)
              : DriverManager.getConnection(jdbcUrl, user, password);
           Statement s = c.createStatement()) {
        s.execute("SHUTDOWN COMPACT");
      } catch (SQLException e) {
        throw new IOException("the index file could not be rewritten after an unclean stop: " + e.getMessage(), e);
      }
      log.info("recovery: index file rewritten in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
    OPEN.merge(marker, 1, Integer::sum);
    Files.createDirectories(marker.getParent());
    if (!Files.exists(marker)) {
      Files.createFile(marker);
      try (FileChannel directory = FileChannel.open(marker.getParent(), StandardOpenOption.READ)) {
        directory.force(true); // a crash from now on finds it
      }
    }
    return new UncleanStopMarker(marker, rewrite);
  }

  /** The open failed: the marker stays (nothing says the file is clean), but this JVM no longer holds it open. */
  void abandoned() {
    synchronized (UncleanStopMarker.class) {
      if (OPEN.merge(marker, -1, Integer::sum) <= 0) OPEN.remove(marker);
    }
  }

  /** After the index closed cleanly: the marker goes with the last of this JVM's opens. */
  void closedCleanly() throws IOException {
    synchronized (UncleanStopMarker.class) {
      if (OPEN.merge(marker, -1, Integer::sum) > 0) return;
      OPEN.remove(marker);
      Files.deleteIfExists(marker);
    }
  }
}
