package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Http;
import dev.atrium.support.MainProcess;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A second Atrium process on the data directory of a running one is refused. It used to take the running one's
 * open-index marker for a crash, rewrite the index file and drop its journal: what the first acknowledged from
 * then on was gone at its next start (a black-box pass lost 30 of 60 instances so).
 */
class IndexLockTest {
  @Test
  void aSecondProcessOnTheSameDataDirectoryIsRefusedAndTheFirstLosesNothing() throws Exception {
    Path dataDir = Files.createTempDirectory("atrium-lock");
    Path work = Files.createTempDirectory("atrium-lock-work");
    try (TestArchive archive = new TestArchive(TestDatabase.H2, dataDir)) {
      TestInstances.Uids before = TestInstances.fresh();
      assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
          Multipart.body(TestInstances.ct(work, before))).statusCode()).isEqualTo(200);

      Path output = work.resolve("second.log");
      Process process = MainProcess.start(Map.of("ATRIUM_DATA_DIR", dataDir.toString(), "ATRIUM_HTTP_PORT", "0",
          "ATRIUM_DIMSE_PORT", "0"), "256m", output);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the second start ends").isTrue();
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(log).isEqualTo(1);
      assertThat(log).contains("in use by another Atrium process (pid " + ProcessHandle.current().pid() + ")")
          .doesNotContain("rewrites a copy");

      TestInstances.Uids after = TestInstances.fresh();
      assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
          Multipart.body(TestInstances.ct(work, after))).statusCode()).isEqualTo(200);
      archive.restart(); // the lock goes with the first process's index, and comes back with the restart
      for (TestInstances.Uids uids : new TestInstances.Uids[] {before, after}) {
        assertThat(Http.get(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
            + "/instances/" + uids.sop(), "application/dicom").statusCode()).isEqualTo(200);
      }
    } finally {
      TempFiles.delete(dataDir);
      TempFiles.delete(work);
    }
  }
}
