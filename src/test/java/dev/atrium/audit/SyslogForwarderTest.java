package dev.atrium.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.SyslogReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes sharing a data directory share the audit spool and its offset. Each used to send the whole spool: records
 * reached the collector twice (a sixth of a 900-record burst, and 18,000 of a 40,000-record backlog at a start).
 */
class SyslogForwarderTest {
  @TempDir Path dir;

  @Test
  void twoForwardersOfOneSpoolSendEachRecordOnce() throws Exception {
    Path spool = dir.resolve("audit.log");
    Files.write(spool, IntStream.range(0, 300).mapToObj(i -> "<AuditMessage n=\"" + i + "\"/>").toList());
    try (SyslogReceiver collector = new SyslogReceiver(null, 0)) {
      SyslogForwarder.Target target = new SyslogForwarder.Target("127.0.0.1", collector.port(),
          SyslogForwarder.Protocol.TCP, null, null);
      SyslogForwarder first = new SyslogForwarder(new AuditFiles(dir), dir.resolve("syslog.offset"), target, "node1");
      SyslogForwarder second = new SyslogForwarder(new AuditFiles(dir), dir.resolve("syslog.offset"), target, "node2");
      first.start();
      second.start();
      try {
        for (int i = 0; i < 100 && collector.messages.size() < 300; i++) Thread.sleep(50);
        Thread.sleep(1500); // a second forwarder's round, had it sent
        List<String> received = collector.messages;
        assertThat(received).hasSize(300);
        assertThat(received.stream().map(m -> m.substring(m.indexOf("<AuditMessage"))).distinct()).hasSize(300);
      } finally {
        first.close();
        second.close();
      }
    }
  }
}
