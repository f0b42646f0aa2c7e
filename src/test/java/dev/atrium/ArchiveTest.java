package dev.atrium;

import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @BeforeAll
  void startArchive() throws Exception {
    dataDir = Files.createTempDirectory("atrium-data");
    work = Files.createTempDirectory("atrium-work");
    archive = new TestArchive(database(), dataDir);
  }

  @AfterAll
  void stopArchive() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }
}
