package dev.atrium.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.support.Dcmtk;
import dev.atrium.support.TempFiles;
import java.io.IOException;
import java.io.OutputStream;
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
    Path directory = Files.createTempDirectory("atrium-audit-full");
    boolean mounted = Dcmtk.run(30, "mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", directory.toString())
        .exitCode() == 0;
    try {
      assumeTrue(mounted, "mounting a small tmpfs needs root");
      Path filler = directory.resolve("filler");
      try (AuditTrail trail = new AuditTrail(directory, "ATRIUM", "host", null, AuditPatients.NONE)) {
        fillLeaving(filler, 10_000); // room for a few records, and the end of one of them cut off
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
    } finally {
      if (mounted) Dcmtk.run(30, "umount", directory.toString());
      TempFiles.delete(directory);
    }
  }

  /** Fills the file system, then frees {@code bytes} of it. */
  private static void fillLeaving(Path filler, int bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[1024];
      while (true) out.write(block);
    } catch (IOException full) {
      // the disk is full
    }
    try (var channel = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(Math.max(0, channel.size() - bytes));
    }
  }
}
