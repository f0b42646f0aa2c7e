package dev.atrium.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.FreePorts;
import dev.atrium.support.SyslogReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file is closed (renamed audit-N.log) before it passes its size, and a new one begun, by whichever node
 * writes; the syslog forwarder follows from file to file, and closed files are removed only once sent. Without
 * this the file grew without bound, and logrotate's copy-and-truncate left the forwarder's offset past its end.
 */
class AuditFileRotationTest {
  private static final long CLOSE_AT = 4096;
  private static final Pattern USER = Pattern.compile("UserID=\"(\\w+-\\d+)\"");

  @TempDir Path dir;

  @Test
  void twoNodesFillFilesOfBoundedSizeWithEveryRecordOnceInOrder() throws Exception {
    try (AuditTrail a = trail(null, 0); AuditTrail b = trail(null, 0)) {
      for (int i = 0; i < 60; i++) {
        written(a, "a-" + i); // one record a batch: each file then holds what fits in its size
        written(b, "b-" + i);
      }
      for (int i = 60; i < 150; i++) { // and batches as they come, the two nodes writing at once
        a.record(query("a-" + i));
        b.record(query("b-" + i));
      }
    }
    AuditFiles files = new AuditFiles(dir);
    List<Long> closed = files.closedNumbers();
    assertThat(closed).hasSizeGreaterThan(10);
    assertThat(closed).first().isEqualTo(1L);
    assertThat(closed).last().isEqualTo((long) closed.size()); // numbered 1, 2, ... with none skipped
    for (long n : closed.subList(0, 10)) {
      List<String> lines = Files.readAllLines(files.closed(n), StandardCharsets.UTF_8);
      assertThat(Files.size(files.closed(n)) <= CLOSE_AT || lines.size() == 1).as("audit-" + n + ".log's size")
          .isTrue();
    }
    List<String> users = usersInFileOrder(files);
    assertThat(users).hasSize(300).doesNotHaveDuplicates();
    for (String node : List.of("a-", "b-")) {
      assertThat(users.stream().filter(u -> u.startsWith(node)).map(u -> Integer.parseInt(u.substring(2))))
          .as("node %s's records in the order recorded", node).isSorted();
    }
  }

  @Test
  void theForwarderFollowsClosedFilesAndOnlySentOnesAreRemoved() throws Exception {
    int port;
    port = FreePorts.forLaterBind(); // a collector binds it later
    AuditFiles files = new AuditFiles(dir);
    List<String> expected = new ArrayList<>();
    try (AuditTrail trail = trail(tcp(port), 1)) {
      for (int i = 0; i < 30; i++) {
        expected.add("down-" + i);
        written(trail, "down-" + i);
      }
      assertThat(files.closedNumbers()).as("none removed: none sent while the collector is down")
          .hasSizeGreaterThan(3);
      try (SyslogReceiver collector = new SyslogReceiver(null, port)) {
        for (int i = 0; i < 20; i++) { // each wakes the forwarder, and is sent before the next is recorded
          expected.add("up-" + i);
          written(trail, "up-" + i);
          awaitMessages(collector, expected.size());
        }
        List<String> sent = collector.messages.stream().map(AuditFileRotationTest::user).toList();
        assertThat(sent).as("each record once, in order, across the closed files").isEqualTo(expected);
        assertThat(files.closedNumbers()).as("the newest closed file kept, the older ones sent and removed")
            .hasSize(1);
      }
    }
  }

  /** A position saved by an earlier version, a bare offset in audit.log, goes on in what that file became. */
  @Test
  void aBareOffsetOfAnEarlierVersionGoesOnFromThere() throws Exception {
    List<String> earlier = new ArrayList<>();
    for (int i = 0; i < 10; i++) earlier.add("<AuditMessage><ActiveParticipant UserID=\"old-" + i + "\"/></AuditMessage>");
    Files.write(dir.resolve("audit.log"), earlier, StandardCharsets.UTF_8);
    long sentBefore = String.join("\n", earlier.subList(0, 4)).length() + 1;
    Files.writeString(dir.resolve("syslog.offset"), Long.toString(sentBefore));
    try (SyslogReceiver collector = new SyslogReceiver(null, 0);
         AuditTrail trail = trail(tcp(collector.port()), 0)) {
      record(trail, "new-", 10);
      awaitMessages(collector, 16);
      List<String> sent = collector.messages.stream().map(AuditFileRotationTest::user).toList();
      assertThat(sent.subList(0, 6)).containsExactly("old-4", "old-5", "old-6", "old-7", "old-8", "old-9");
      assertThat(sent).hasSize(16).doesNotHaveDuplicates();
    }
    assertThat(SpoolPosition.read(dir.resolve("syslog.offset")).file()).isGreaterThan(1);
  }

  private AuditTrail trail(SyslogForwarder.Target syslog, int keepClosed) throws Exception {
    return new AuditTrail(dir, "ATRIUM", "host", syslog, AuditPatients.NONE, CLOSE_AT, keepClosed);
  }

  private static SyslogForwarder.Target tcp(int port) {
    return new SyslogForwarder.Target("127.0.0.1", port, SyslogForwarder.Protocol.TCP, null, null);
  }

  private static AuditEvent query(String user) {
    return AuditEvent.of(AuditEvent.Kind.QUERY, AuditEvent.Outcome.SUCCESS, user, "127.0.0.1", "DEFAULT", null,
        "/dicom-web/studies?PatientID=" + user, "query by " + user);
  }

  private static void record(AuditTrail trail, String prefix, int count) throws InterruptedException {
    for (int i = 0; i < count; i++) trail.record(query(prefix + i));
  }

  /** Records a query by {@code user} and waits until it is in a file. */
  private void written(AuditTrail trail, String user) throws Exception {
    trail.record(query(user));
    AuditFiles files = new AuditFiles(dir);
    String wanted = "UserID=\"" + user + "\"";
    for (int i = 0; i < 1000; i++) {
      if (holds(files.live(), wanted)) return;
      for (long n : files.closedNumbers()) {
        if (holds(files.closed(n), wanted)) return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError(user + "'s record was not written");
  }

  /** Whether the file holds the text; false for one closed (renamed) or removed meanwhile. */
  private static boolean holds(Path file, String text) throws Exception {
    try {
      return Files.readString(file).contains(text);
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  private static List<String> usersInFileOrder(AuditFiles files) throws Exception {
    List<Path> inOrder = new ArrayList<>();
    for (long n : files.closedNumbers()) inOrder.add(files.closed(n));
    inOrder.add(files.live());
    List<String> users = new ArrayList<>();
    for (Path file : inOrder) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        assertThat(line).startsWith("<AuditMessage>").endsWith("</AuditMessage>");
        users.add(user(line));
      }
    }
    return users;
  }

  private static String user(String message) {
    Matcher m = USER.matcher(message);
    assertThat(m.find()).as(message).isTrue();
    return m.group(1);
  }

  private static void awaitMessages(SyslogReceiver collector, int count) throws InterruptedException {
    for (int i = 0; i < 300 && collector.messages.size() < count; i++) Thread.sleep(50);
    assertThat(collector.messages).hasSizeGreaterThanOrEqualTo(count);
  }
}
