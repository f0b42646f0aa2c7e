package dev.atrium.index;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.atrium.config.AtriumConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/** The index database: a pool, its migrations, and the jOOQ context everything else uses. */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final DSLContext dsl;
  private final CommitSync commitSync;
  private final UncleanStopMarker marker;
  private final boolean embedded;

  private Database(HikariDataSource pool, SQLDialect dialect, CommitSync commitSync, UncleanStopMarker marker,
      boolean embedded) {
    this.pool = pool;
    this.embedded = embedded;
    this.dsl = DSL.using(pool, dialect);
    this.commitSync = commitSync;
    this.marker = marker;
  }

  /** The H2 file under the data directory, which one process at a time opens; else a server others may share. */
  public boolean embedded() {
    return embedded;
  }

  /** H2's ErrorCode.DATABASE_IS_CLOSED. */
  private static final int H2_DATABASE_IS_CLOSED = 90098;

  public static Database open(AtriumConfig.Db db, Path dataDir) {
    String url = db.embedded() ? embeddedUrl(dataDir) : db.url();
    SQLDialect dialect = url.startsWith("jdbc:h2:") ? SQLDialect.H2 : SQLDialect.MARIADB;
    Path h2File = CommitSync.h2FileStore(url);
    UncleanStopMarker marker;
    try {
      marker = h2File == null ? null : UncleanStopMarker.open(url, db.embedded() ? null : db.user(), db.password(),
          h2File);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    if (!db.embedded()) {
      hikari.setUsername(db.user());
      hikari.setPassword(db.password());
    }
    hikari.setMaximumPoolSize(db.poolSize());
    hikari.setPoolName("index");
    hikari.setAutoCommit(true);
    if (dialect == SQLDialect.MARIADB) {
      // Commit order must be visible order for the change feed; READ COMMITTED avoids gap locks.
      hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      if (marker != null) marker.abandoned();
      throw e;
    }
    try {
      String[] migrations = dialect == SQLDialect.MARIADB
          ? new String[] {"classpath:db/migration", "classpath:db/mariadb"} : new String[] {"classpath:db/migration"};
      Flyway.configure().dataSource(pool).locations(migrations).javaMigrations(new PersonNameKeysMigration()).load()
          .migrate();
      return new Database(pool, dialect, CommitSync.forUrl(url, pool), marker, db.embedded());
    } catch (IOException e) {
      pool.close();
      if (marker != null) marker.abandoned();
      throw new UncheckedIOException("cannot open the index file to sync its commits", e);
    } catch (RuntimeException e) {
      pool.close();
      if (marker != null) marker.abandoned();
      throw e;
    }
  }

  /**
   * MODE=MariaDB keeps one set of migrations for both databases; DATABASE_TO_LOWER matches the
   * lower-case names jOOQ generated. H2's default WRITE_DELAY (500 ms) lets it write its file in the
   * background: with a write at each commit (WRITE_DELAY=0), serialising the pages a commit changed
   * took nearly half of the index writer's time, the file grew by 40 KB per single-instance commit, and H2
   * never compacted it while running. What H2 has not written yet is made durable by the store path's
   * journal ({@link IndexJournal}) and by {@link CommitSync}. QUERY_CACHE_SIZE: the store path alone
   * uses about ten distinct statements per session, more than H2's default cache of eight.
   * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under Atrium's orderly
   * stop (which writes and syncs the index before it drops the journal); one shutdown, ours.
   */
  static String embeddedUrl(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve("index").resolve("atrium");
    return "jdbc:h2:file:" + file + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE";
  }

  public DSLContext dsl() {
    return dsl;
  }

  /** What makes a commit durable before the store path acknowledges it. */
  public CommitSync commitSync() {
    return commitSync;
  }

  public SQLDialect dialect() {
    return dsl.dialect();
  }

  /** Throws when the database does not answer, its file cannot be synced or its disk is all but full (health). */
  public void checkUsable() throws IOException {
    dsl.selectOne().fetch();
    commitSync.checkSyncable();
  }

  /**
   * Whether embedded H2 closed the database itself after a write failed (a full disk): it then answers every
   * statement with "database has been closed" until it is opened again, which takes a new start of the archive.
   */
  public boolean closedByError() {
    if (dialect() != SQLDialect.H2) return false;
    try {
      dsl.selectOne().fetch();
      return false;
    } catch (DataAccessException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IS_CLOSED) return true;
      }
      return false;
    }
  }

  @Override
  public void close() {
    boolean broken = marker != null && closedByError();
    try {
      commitSync.close();
    } catch (IOException ignored) {
      // read-only descriptor
    }
    pool.close();
    if (broken) {
      marker.abandoned(); // not a clean close: the next open rewrites the file, and the journal fills it in
    } else if (marker != null) {
      try {
        marker.closedCleanly();
      } catch (IOException e) {
        throw new UncheckedIOException("the index closed, but its open marker could not be removed", e);
      }
    }
  }
}
