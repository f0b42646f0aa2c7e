package dev.atrium.support;

import static dev.atrium.index.schema.Tables.INSTANCE;

import dev.atrium.Atrium;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigLoader;
import dev.atrium.index.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real Atrium on ephemeral ports with its own data directory and database, in this JVM. */
public final class TestArchive implements AutoCloseable {
  public final AtriumConfig config;
  private Atrium atrium;
  private Database inspector;

  public TestArchive(TestDatabase database, Path dataDir) throws Exception {
    this(database, dataDir, (AtriumConfig.Store) null);
  }

  public TestArchive(TestDatabase database, Path dataDir, AtriumConfig.Store store) throws Exception {
    this(database, dataDir, config -> store == null ? config : config.withStore(store));
  }

  /** An archive whose configuration the test adjusts (security, partitions, known AEs, …). */
  public TestArchive(TestDatabase database, Path dataDir, UnaryOperator<AtriumConfig> adjust) throws Exception {
    this(database, dataDir, Map.of(), adjust);
  }

  /** With ATRIUM_* settings given as environment variables (e.g. ATRIUM_MOVE_DESTINATIONS), then adjusted. */
  public static TestArchive create(TestDatabase database, Path dataDir, Map<String, String> environment,
      UnaryOperator<AtriumConfig> adjust) throws Exception {
    return new TestArchive(database, dataDir, environment, adjust);
  }

  private TestArchive(TestDatabase database, Path dataDir, Map<String, String> environment,
      UnaryOperator<AtriumConfig> adjust) throws Exception {
    AtriumConfig defaults = ConfigLoader.load(environment);
    this.config = adjust.apply(defaults.withEndpoints(dataDir, 0, 0).withDb(database.create(defaults.db())));
    this.atrium = Atrium.start(this.config);
  }

  public void restart() throws Exception {
    restart(() -> { });
  }

  /** Something a test does while the archive is down. */
  public interface WhileStopped {
    void run() throws Exception;
  }

  /** Stops the archive, runs {@code whileStopped}, starts it again on the same ports and data. */
  public void restart(WhileStopped whileStopped) throws Exception {
    restart(whileStopped, UnaryOperator.identity());
  }

  /**
   * As {@link #restart(WhileStopped)}, the new start with its configuration changed (an operator's edit between
   * two runs); {@link #config} stays the first one.
   */
  public void restart(WhileStopped whileStopped, UnaryOperator<AtriumConfig> change) throws Exception {
    closeInspector();
    int httpPort = atrium.httpPort();
    int dimsePort = atrium.dimsePort();
    atrium.close();
    whileStopped.run();
    atrium = Atrium.start(change.apply(config.withEndpoints(config.dataDir(), httpPort, dimsePort)));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + atrium.httpPort();
  }

  public String dicomWeb() {
    return baseUrl() + "/dicom-web";
  }

  public int dimsePort() {
    return atrium.dimsePort();
  }

  public int httpsPort() {
    return atrium.httpsPort();
  }

  public int dimseTlsPort() {
    return atrium.dimseTlsPort();
  }

  public String aeTitle() {
    return config.aeTitle();
  }

  /** The index, read directly: what a test checks behind the protocols' backs. */
  public Database index() {
    if (inspector == null) inspector = Database.open(config.db(), config.dataDir());
    return inspector;
  }

  public int instanceRows() {
    return index().dsl().fetchCount(INSTANCE);
  }

  /** Published blobs (excluding staging and metadata sidecars). */
  public List<Path> blobFiles() throws IOException {
    return published(false);
  }

  /** Metadata sidecars (an instance's DICOM JSON beside its blob). */
  public List<Path> metadataFiles() throws IOException {
    return published(true);
  }

  private List<Path> published(boolean metadata) throws IOException {
    Path root = config.dataDir().resolve("blobs");
    return regularFiles(root, p -> !p.startsWith(root.resolve(".staging"))
        && p.getFileName().toString().endsWith(".json") == metadata);
  }

  /**
   * The regular files under {@code root} that {@code wanted} takes. A walk that meets a file the archive deletes
   * meanwhile (blob reclaim, a confirmed store's staging entry: both in the background) starts again.
   */
  private static List<Path> regularFiles(Path root, Predicate<Path> wanted) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile).filter(wanted).toList();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt == 20) throw e;
      }
    }
  }

  /**
   * Staging entries still there once the archive had time to settle: a committed blob's entry goes only after its
   * final name is synced, a fraction of a second after the acknowledgement.
   */
  public List<Path> stagingFiles() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      List<Path> left;
      left = staged(config.dataDir().resolve("blobs"));
      if (left.isEmpty() || System.nanoTime() > deadline) return left;
      Thread.sleep(20);
    }
  }

  /**
   * What is staged in a blob store: every process's entries (not their directories and locks, nor the empty files a
   * store makes ahead for the blobs to come, storage.BlankStagingFiles).
   */
  public static List<Path> staged(Path blobs) throws IOException {
    return regularFiles(blobs.resolve(".staging"), p -> !p.getFileName().toString().equals(".lock") && !isEmpty(p));
  }

  private static boolean isEmpty(Path file) {
    try {
      return Files.size(file) == 0;
    } catch (IOException e) {
      return false; // gone meanwhile: counted as it was listed
    }
  }

  private void closeInspector() {
    if (inspector != null) inspector.close();
    inspector = null;
  }

  @Override
  public void close() throws Exception {
    closeInspector();
    atrium.close();
  }
}
