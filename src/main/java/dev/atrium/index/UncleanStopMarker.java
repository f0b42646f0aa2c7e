package dev.atrium.index;

import dev.atrium.storage.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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
 * unclean stop (289 ms for that 1 MB file), done on a copy that is read back before it replaces the file.
 */
final class UncleanStopMarker {
  private static final Logger log = LoggerFactory.getLogger(UncleanStopMarker.class);
  /** Index files open in this JVM, and how many times: a second open (a test's inspector) shares the database. */
  private static final Map<Path, Integer> OPEN = new HashMap<>();
  /** The OS lock each index open in this JVM holds: a second process must not take the marker for a crash. */
  private static final Map<Path, IndexLock> LOCKS = new HashMap<>();

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
    Path marker = store.resolveSibling(store.getFileName() + ".in-use").toAbsolutePath();
    // Builds before the index lock named the marker ".open". A new name keeps such a build, started by mistake
    // beside a running one, from taking the running one's marker for a crash and replacing the index file under
    // it: it finds no marker, opens the file, and meets H2's own lock on it. Theirs still says they crashed.
    Path earlierMarker = store.resolveSibling(store.getFileName() + ".open").toAbsolutePath();
    boolean first = !OPEN.containsKey(marker);
    if (first) LOCKS.put(marker, IndexLock.acquire(marker.getParent()));
    try {
      boolean rewrite = first && (Files.exists(marker) || Files.exists(earlierMarker)) && Files.exists(store);
      if (rewrite) rewriteCopy(jdbcUrl, user, password, store);
      if (first) Files.deleteIfExists(earlierMarker);
      Files.createDirectories(marker.getParent());
      if (!Files.exists(marker)) {
        Files.createFile(marker);
        Directories.sync(marker.getParent()); // a crash from now on finds it
      }
      OPEN.merge(marker, 1, Integer::sum);
      return new UncleanStopMarker(marker, rewrite);
    } catch (IOException | RuntimeException e) {
      if (first) LOCKS.remove(marker).close(); // a later attempt in this JVM (a restart) must be able to lock
      throw e;
    }
  }

  /**
   * Has H2 rewrite a copy of the file (SHUTDOWN COMPACT), reads every row of the copy back, and only then puts it
   * in the file's place. Once in CI the file H2 had compacted in place could not be opened again ("File corrupted
   * while reading record"): a copy that fails either step is dropped, and the file is used as the crash left it.
   */
  private static void rewriteCopy(String jdbcUrl, String user, String password, Path store) throws IOException {
    log.warn("recovery: the index was not closed cleanly; H2 rewrites a copy of its file (SHUTDOWN COMPACT)");
    long started = System.nanoTime();
    String base = store.toString().substring(0, store.toString().length() - ".mv.db".length());
    Path copy = Path.of(base + "-rewrite.mv.db");
    String copyUrl = jdbcUrl.replaceFirst(java.util.regex.Pattern.quote(base),
        java.util.regex.Matcher.quoteReplacement(base + "-rewrite"));
    try {
      Files.copy(store, copy, StandardCopyOption.REPLACE_EXISTING);
      try (Connection c = connect(copyUrl, user, password); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN COMPACT");
      }
      long rows = 0;
      try (Connection c = connect(copyUrl, user, password); Statement s = c.createStatement()) {
        List<String> tables = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
            + "WHERE TABLE_SCHEMA = 'public' OR TABLE_SCHEMA = 'PUBLIC'")) {
          while (r.next()) tables.add(r.getString(1));
        }
        for (String table : tables) {
          try (ResultSet r = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
            while (r.next()) rows++;
          }
        }
        s.execute("SHUTDOWN");
      }
      Files.move(copy, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Directories.sync(store.getParent());
      log.info("recovery: index file rewritten and read back ({} rows) in {} ms", rows,
          (System.nanoTime() - started) / 1_000_000);
    } catch (SQLException | IOException e) {
      log.warn("recovery: the rewritten copy of the index failed ({}); the file is used as the crash left it",
          e.toString());
      Files.deleteIfExists(copy);
    }
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
  }

  /** The open failed: the marker stays (nothing says the file is clean), but this JVM no longer holds it open. */
  void abandoned() {
    synchronized (UncleanStopMarker.class) {
      if (OPEN.merge(marker, -1, Integer::sum) > 0) return;
      OPEN.remove(marker);
      try {
        IndexLock lock = LOCKS.remove(marker);
        if (lock != null) lock.close();
      } catch (IOException e) {
        log.warn("index lock not released ({}); the process's end releases it", e.toString());
      }
    }
  }

  /** After the index closed cleanly: the marker goes with the last of this JVM's opens. */
  void closedCleanly() throws IOException {
    synchronized (UncleanStopMarker.class) {
      if (OPEN.merge(marker, -1, Integer::sum) > 0) return;
      OPEN.remove(marker);
      try {
        Files.deleteIfExists(marker);
      } finally {
        IndexLock lock = LOCKS.remove(marker);
        if (lock != null) lock.close(); // null: closed twice (a test that failed mid-restart)
      }
    }
  }
}
