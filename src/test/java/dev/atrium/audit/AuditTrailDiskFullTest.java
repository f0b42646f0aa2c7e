package dev.atrium.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.SmallTmpfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The audit file on a disk that fills up (a 256 KB tmpfs; root is needed to mount it). A batch written in part was
 * left in the file, and its retry appended the whole batch after the half record: one malformed line, and records
 * twice, in the file that is also the syslog spool.
 */
class AuditTrailDiskFullTest {
  @Test
  void aBatchWrittenInPartIsCutBeforeItIsWrittenAgain() throws Exception {
    try (SmallTmpfs disk = SmallTmpfs.mount(null, "256k")) {
      Path directory = disk.path();
      Path filler = directory.resolve("filler");
      try (AuditTrail trail = new AuditTrail(directory, "ATRIUM", "host", null, AuditPatients.NONE)) {
        SmallTmpfs.fill(filler, 10_000); // room for a few records, and the end of one of them cut off
        for (int i = 0; i < 40; i++) {
          trail.record(AuditEvent.of(AuditEvent.Kind.QUERY, AuditEvent.Outcome.SUCCESS, "user-" + i, "127.0.0.1",
              "DEFAULT", null, "/dicom-web/studies?PatientID=" + i, "query " + i));
        }
        Thread.sleep(1500); // the writer fails, and retries
        Files.delete(filler);
        Thread.sleep(2500);
      }
      List<String> lines = Files.readAllLines(directory.resolve("audit.log"), StandardCharsets.UTF_8);
      Set<String> users = new HashSet<>();
      for (String line : lines) {
        assertThat(line).startsWith("<AuditMessage>").endsWith("</AuditMessage>");
        assertThat(line.indexOf("<AuditMessage>", 1)).as("one record per line").isEqualTo(-1);
        java.util.regex.Matcher user = java.util.regex.Pattern.compile("UserID=\"(user-\\d+)\"").matcher(line);
        if (user.find()) assertThat(users.add(user.group(1))).as("recorded once: " + user.group(1)).isTrue();
      }
      assertThat(users).hasSize(40);
    }
  }

  @Test
  void closingOnAFullDiskStopsTheWriter() throws Exception {
    try (SmallTmpfs disk = SmallTmpfs.mount(null, "256k")) {
      Path directory = disk.path();
      Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
      AuditTrail trail = new AuditTrail(directory, "ATRIUM", "host", null, AuditPatients.NONE);
      SmallTmpfs.fill(directory.resolve("filler"), 0);
      for (int i = 0; i < 40; i++) {
        trail.record(AuditEvent.of(AuditEvent.Kind.QUERY, AuditEvent.Outcome.SUCCESS, "user-" + i, "127.0.0.1",
            "DEFAULT", null, "/dicom-web/studies?PatientID=" + i, "query " + i));
      }
      Thread.sleep(500); // the writer fails, and retries
      try {
        trail.close();
      } catch (java.io.IOException fullDisk) {
        // the last fsync may fail too: the records are reported lost, the writer must stop all the same
      }
      // A writer that never gave up kept retrying for as long as the process lived (one per self-restart).
      assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("audit-writer")
          && t.isAlive() && !before.contains(t))).isEmpty();
    }
  }
}
