package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded index's journal outlives a clean stop: H2 once reopened, after a clean stop that followed a crash
 * recovery, without any of that run's writes. Here its file is put back, between two runs, to a copy taken before
 * the second run, and the restarted archive still serves what the second run acknowledged.
 */
class H2JournalAfterCleanStopTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void whatACleanlyStoppedRunAcknowledgedSurvivesAnIndexThatReopensWithoutIt() throws Exception {
    TestInstances.Uids before = TestInstances.fresh();
    TestInstances.Uids during = TestInstances.fresh();
    Path beforeFile = TestInstances.ct(files, before);
    Path duringFile = TestInstances.ct(files, during);
    Path snapshot = files.resolve("index-snapshot.mv.db");
    try (TestArchive archive = new TestArchive(TestDatabase.H2, dataDir)) {
      assertThat(stow(archive, beforeFile)).isEqualTo(200);
      archive.restart(() -> Files.copy(indexFile(), snapshot)); // the index as the second run finds it
      assertThat(stow(archive, duringFile)).isEqualTo(200);

      archive.restart(() -> Files.copy(snapshot, indexFile(), StandardCopyOption.REPLACE_EXISTING));

      assertThat(retrieve(archive, during)).as("acknowledged in the run the index lost")
          .isEqualTo(Files.readAllBytes(duringFile));
      assertThat(retrieve(archive, before)).isEqualTo(Files.readAllBytes(beforeFile));

      archive.restart(); // an index that holds everything: the start drops the journal it was opened with
      assertThat(journalSegments()).as("only the segment the running archive writes").isEqualTo(1);
      assertThat(retrieve(archive, during)).isEqualTo(Files.readAllBytes(duringFile));
    }
  }

  private static int stow(TestArchive archive, Path file) throws Exception {
    return Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file)).statusCode();
  }

  private static byte[] retrieve(TestArchive archive, TestInstances.Uids uids) throws Exception {
    var response = Http.getBytes(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
        + "/instances/" + uids.sop(), "application/dicom");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private Path indexFile() {
    return dataDir.resolve("index").resolve("atrium.mv.db");
  }

  private long journalSegments() throws Exception {
    try (Stream<Path> segments = Files.list(dataDir.resolve("index").resolve("journal"))) {
      return segments.count();
    }
  }
}
