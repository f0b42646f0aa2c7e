package dev.atrium.index;

import dev.atrium.storage.Directories;
import dev.atrium.storage.FileSystemBlobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes committed index transactions durable where the database does not. Embedded H2 keeps its newest commits in
 * memory and writes them to its file in the background, never fsyncing it: after a crash or a power loss the newest
 * commits can be gone while the files they index exist and were acknowledged. {@link #afterCommit()} has H2 write
 * every commit so far (CHECKPOINT) and then fsyncs the file through a descriptor of our own (fsync acts on the file,
 * not on the descriptor that wrote). The store path's own durability comes from its journal ({@link IndexJournal});
 * it calls this at most once a second, and at once after other index changes it acknowledges. MariaDB syncs its own
 * log at each commit ({@code innodb_flush_log_at_trx_commit=1}), and an in-memory or server-mode H2 has no file
 * here: for those this does nothing.
 */
public final class CommitSync implements AutoCloseable {
  private static final CommitSync NONE = new CommitSync(null, null, null);

  private final FileChannel file;
  private final FileStore disk;
  private final DataSource database;

  private CommitSync(FileChannel file, FileStore disk, DataSource database) {
    this.file = file;
    this.disk = disk;
    this.database = database;
  }

  /** For an index opened at {@code jdbcUrl} through {@code database}, once the database exists. */
  static CommitSync forUrl(String jdbcUrl, DataSource database) throws IOException {
    Path store = h2FileStore(jdbcUrl);
    if (store == null || !Files.isRegularFile(store)) return NONE;
    FileChannel channel = FileChannel.open(store, StandardOpenOption.READ);
    try {
      // The file's own name must survive a power loss too (it is created once, by the first open).
      Directories.sync(store.toAbsolutePath().getParent());
      return new CommitSync(channel, Files.getFileStore(store), database);
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

  /** Has H2 write every commit made so far to its file, then forces the file to disk. */
  public void afterCommit() throws IOException {
    if (file == null) return;
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT"); // H2 writes what it holds in memory (MVStore.commit), without syncing
    } catch (SQLException e) {
      throw new IOException("the index could not write its commits to its file: " + e.getMessage(), e);
    }
    file.force(false);
  }

  /**
   * Throws when the index file cannot be synced, or its disk is all but full (health check); writes nothing. H2
   * answers reads and takes commits in memory for a while after its disk filled, and fails only when it next writes
   * its file, so without the free-space test a full disk went unreported until then.
   */
  public void checkSyncable() throws IOException {
    if (file == null) return;
    long free = disk.getUsableSpace();
    if (free < FileSystemBlobStore.MIN_FREE_BYTES) {
      throw new FileSystemException(null, null, "the index's disk is full (" + (free >> 10) + " KiB free)");
    }
    try {
      file.force(false); // with nothing unsynced, an fdatasync costs microseconds
    } catch (IOException e) {
      throw new IOException("the index file cannot be synced to disk: " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (file != null) file.close();
  }
}
