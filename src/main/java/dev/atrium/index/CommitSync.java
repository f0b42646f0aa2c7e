package dev.atrium.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes committed index transactions durable where the database does not. Embedded H2 (WRITE_DELAY=0) writes each
 * commit to the operating system before the commit returns, so a killed process loses nothing, but it never
 * fsyncs: after a power loss the newest commits could be gone while the files they index exist and were
 * acknowledged. fsync acts on the file, not on the descriptor that wrote, so syncing a descriptor of our own on
 * H2's file after a commit puts that commit on disk. The store path's own durability comes from its journal
 * ({@link IndexJournal}); it syncs H2's file at most once a second, and at once after other index changes. MariaDB
 * syncs its own log at each commit
 * ({@code innodb_flush_log_at_trx_commit=1}), and an in-memory or server-mode H2 has no file here: for those this
 * does nothing.
 */
public final class CommitSync implements AutoCloseable {
  private static final CommitSync NONE = new CommitSync(null);

  private final FileChannel file;

  private CommitSync(FileChannel file) {
    this.file = file;
  }

  /** For an index opened at {@code jdbcUrl}, once the database exists. */
  static CommitSync forUrl(String jdbcUrl) throws IOException {
    Path store = h2FileStore(jdbcUrl);
    if (store == null || !Files.isRegularFile(store)) return NONE;
    FileChannel channel = FileChannel.open(store, StandardOpenOption.READ);
    try {
      // The file's own name must survive a power loss too (it is created once, by the first open).
      try (FileChannel dir = FileChannel.open(store.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
      return new CommitSync(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The MVStore file of an H2 file database ({@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH} with an absolute or
   * relative path), else null. H2 names it PATH.mv.db and expands a leading {@code ~} to the user's home.
   */
  static Path h2FileStore(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) return null;
    String rest = jdbcUrl.substring("jdbc:h2:".length());
    int settings = rest.indexOf(';');
    if (settings >= 0) rest = rest.substring(0, settings);
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    } else if (!(rest.startsWith("/") || rest.startsWith("./") || rest.startsWith("../") || rest.startsWith("~"))) {
      return null; // mem:, tcp:, ssl:, zip:, a bare name relative to H2's base directory
    }
    if (rest.isEmpty()) return null;
    if (rest.startsWith("~")) rest = System.getProperty("user.home") + rest.substring(1);
    return Path.of(rest + ".mv.db");
  }

  /** Whether {@link #afterCommit()} does anything: an embedded H2 file. */
  public boolean syncs() {
    return file != null;
  }

  /** Forces every commit made so far to disk. Call after the commit returned, before acknowledging it. */
  public void afterCommit() throws IOException {
    if (file != null) file.force(false);
  }

  @Override
  public void close() throws IOException {
    if (file != null) file.close();
  }
}
