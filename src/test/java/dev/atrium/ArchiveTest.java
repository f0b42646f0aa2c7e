package dev.atrium;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One real archive per test class, on the database the subclass names, with scratch directories. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchiveTest {
  Path dataDir;
  Path work;
  TestArchive archive;

  abstract TestDatabase database();

  /** ATRIUM_* settings for the archive (as environment variables), on top of the defaults. */
  Map<String, String> environment() {
    return Map.of();
  }

  /** The archive's configuration as the test wants it, after the environment. */
  AtriumConfig configure(AtriumConfig config) {
    return config;
  }

  /** The configuration with STOW-RS overwriting an instance stored again (DIMSE keeps its policy). */
  static AtriumConfig stowOverwrites(AtriumConfig config) {
    return config.withStore(new AtriumConfig.Store(AtriumConfig.DuplicatePolicy.OVERWRITE,
        config.store().duplicatePolicyDimse(), config.store().minFreeSpaceBytes()));
  }

  @BeforeAll
  void startArchive() throws Exception {
    dataDir = Files.createTempDirectory("atrium-data");
    work = Files.createTempDirectory("atrium-work");
    archive = TestArchive.create(database(), dataDir, environment(), this::configure);
  }

  @AfterAll
  void stopArchive() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }
}
