package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.FreePorts;
import dev.atrium.support.Multipart;
import dev.atrium.support.SyslogReceiver;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #6, audit trail: DICOM audit messages (PS3.15 A.5) of stores, queries, retrieves and a
 * rejected token reach a syslog collector over TLS; a collector that is not there yet loses nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private MockOAuth2Server idp;
  private TestPki pki;
  private SSLContext collectorTls;
  private Path dataDir;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    idp = new MockOAuth2Server();
    idp.start();
    pki = new TestPki();
    pki.issueServer("collector");
    collectorTls = TlsContexts.create(new AtriumConfig.Tls("", "", pki.certificate("collector").toString(),
        pki.key("collector").toString(), ""));
    dataDir = Files.createTempDirectory("atrium-audit");
    work = Files.createTempDirectory("atrium-audit-work");
  }

  @AfterAll
  void stop() throws Exception {
    idp.shutdown();
    pki.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  private static AtriumConfig.Audit syslogTo(int port, Path ca) {
    return new AtriumConfig.Audit(true, "", "ATRIUM", "127.0.0.1", port, "tls", ca.toString());
  }

  @Test
  void storeQueryRetrieveAndARejectedTokenAreAudited() throws Exception {
    try (SyslogReceiver collector = new SyslogReceiver(collectorTls, 0);
         TestArchive archive = new TestArchive(TestDatabase.H2, dataDir, config -> config
             .withSecurity(security()).withAudit(syslogTo(collector.port(), pki.ca())))) {
      TestInstances.Uids stowed = TestInstances.fresh();
      String token = token("radiologist");
      assertThat(send(archive, "POST", "/dicom-web/studies", token,
          Multipart.body(TestInstances.ct(work, stowed, Map.of(TagFromName.PatientID, "AUDIT-PAT",
              TagFromName.PatientName, "Audit^Patient")))).statusCode()).isEqualTo(200);
      assertThat(send(archive, "GET", "/dicom-web/studies?PatientID=AUDIT-ME", token, null).statusCode())
          .isEqualTo(200);
      assertThat(send(archive, "GET", "/dicom-web/studies/" + stowed.study(), token, null).statusCode())
          .isEqualTo(200);
      assertThat(send(archive, "HEAD", "/dicom-web/studies/" + stowed.study(), token, null).statusCode())
          .isEqualTo(200);
      assertThat(send(archive, "GET", "/dicom-web/studies", "forged.token.value", null).statusCode()).isEqualTo(401);
      TestInstances.Uids sent = TestInstances.fresh();
      // Three instances of one study in one association: one event for the study, counting them.
      Dcmtk.Result store = Dcmtk.run(60, "storescu", "-aet", "CT_SCANNER", "-aec", archive.aeTitle(), "127.0.0.1",
          String.valueOf(archive.dimsePort()), TestInstances.ct(work, sent).toString(),
          TestInstances.ct(work, new TestInstances.Uids(sent.study(), sent.series(), TestInstances.newUid()))
              .toString(),
          TestInstances.ct(work, new TestInstances.Uids(sent.study(), sent.series(), TestInstances.newUid()))
              .toString());
      assertThat(store.exitCode()).as(store.output()).isZero();
      Dcmtk.Result find = Dcmtk.run(60, "findscu", "-S", "-aet", "CT_SCANNER", "-aec", archive.aeTitle(),
          "-k", "0008,0052=STUDY", "-k", "PatientID=FIND-ME", "127.0.0.1", String.valueOf(archive.dimsePort()));
      assertThat(find.exitCode()).as(find.output()).isZero();
      Dcmtk.Result wrongAe = Dcmtk.run(60, "echoscu", "-aet", "CT_SCANNER", "-aec", "NOT_ATRIUM", "127.0.0.1",
          String.valueOf(archive.dimsePort()));
      assertThat(wrongAe.exitCode()).as(wrongAe.output()).isNotZero();

      awaitMessage(collector, m -> m.contains("csd-code=\"110104\"") && m.contains("EventActionCode=\"C\"")
          && m.contains(stowed.study()) && m.contains("UserID=\"radiologist"), "STOW as Instances Transferred");
      awaitMessage(collector, m -> m.contains("csd-code=\"110104\"") && m.contains(stowed.study())
          && m.contains("<ParticipantObjectIdentification ParticipantObjectID=\"AUDIT-PAT\" ParticipantObjectTypeCode=\"1\""
              + " ParticipantObjectTypeCodeRole=\"1\"><ParticipantObjectIDTypeCode csd-code=\"2\""
              + " codeSystemName=\"RFC-3881\" originalText=\"Patient Number\"/>"
              + "<ParticipantObjectName>Audit^Patient</ParticipantObjectName>"),
          "the study's patient named beside it (PS3.15 A.5.3.7)");
      awaitMessage(collector, m -> m.contains("csd-code=\"110112\"") && query(m).contains("PatientID=AUDIT-ME"),
          "QIDO as Query with the query");
      awaitMessage(collector, m -> m.contains("csd-code=\"110112\"") && m.contains("ParticipantObjectID=\"QIDO-RS\"")
          && !m.contains("110181"), "QIDO identified as such, not as a SOP class");
      awaitMessage(collector, m -> m.contains("csd-code=\"110112\"") && query(m).equals("STUDY PatientID=FIND-ME")
          && m.contains("ParticipantObjectID=\"1.2.840.10008.5.1.4.1.2.2.1\"") && m.contains("csd-code=\"110181\""),
          "C-FIND as Query, identified by its SOP class (PS3.15 A.5.3.10)");
      awaitMessage(collector, m -> m.contains("csd-code=\"110104\"") && m.contains("EventActionCode=\"R\"")
          && m.contains(stowed.study()) && requestorRole(m).equals("110152"),
          "WADO-RS as Instances Transferred (read), the requestor their Destination (PS3.15 A.5.3.7)");
      awaitMessage(collector, m -> m.contains("csd-code=\"110104\"") && m.contains("EventActionCode=\"C\"")
          && requestorRole(m).equals("110153"), "a store's requestor the Source");
      awaitMessage(collector, m -> m.contains("csd-code=\"110103\"") && m.contains(stowed.study())
          && m.contains("HEAD /dicom-web/studies/"), "a HEAD as Instances Accessed: it transfers nothing");
      awaitMessage(collector, m -> m.contains("csd-code=\"110114\"") && m.contains("EventOutcomeIndicator=\"4\""),
          "rejected token as failed User Authentication");
      awaitMessage(collector, m -> m.contains("csd-code=\"110113\"") && m.contains("rejected bearer token"),
          "rejected token as Security Alert");
      awaitMessage(collector, m -> m.contains("csd-code=\"110104\"") && m.contains("UserID=\"CT_SCANNER\"")
          && m.contains(sent.study()) && m.contains("NetworkAccessPointID=\"127.0.0.1\"")
          && m.contains("C-STORE of 3 instances"), "C-STORE naming the calling AE and its address");
      assertThat(collector.messages.stream().filter(m -> m.contains("csd-code=\"110104\"") && m.contains(sent.study())))
          .as("one Instances Transferred event for the association's three stores of the study").hasSize(1);
      awaitMessage(collector, m -> m.contains("csd-code=\"110113\"") && m.contains("UserID=\"CT_SCANNER\"")
          && m.contains("called AE title NOT_ATRIUM not served here"), "an association to an AE title not served");
      assertThat(send(archive, "DELETE", "/dicom-web/studies/" + stowed.study(), token, null).statusCode())
          .isEqualTo(204);
      awaitMessage(collector, m -> m.contains("csd-code=\"110105\"") && m.contains(stowed.study())
          && m.contains("ParticipantObjectID=\"AUDIT-PAT\" ParticipantObjectTypeCode=\"1\""),
          "Study Deleted naming the patient the index no longer holds (PS3.15 A.5.3.9)");
      String first = collector.messages.get(0);
      assertThat(first).as("RFC 5424 header, IHE MSGID").matches("<85>1 \\S+ \\S+ atrium \\d+ IHE\\+RFC-3881 - "
          + "<AuditMessage>.*</AuditMessage>");
      assertThat(Files.readAllLines(dataDir.resolve("audit/audit.log"))).as("the local append-only file")
          .anyMatch(line -> line.contains(stowed.study()));
    }
  }

  @Test
  void recordsMadeWhileTheCollectorIsDownArriveWhenItComesUp() throws Exception {
    Path data = Files.createTempDirectory("atrium-audit-spool");
    int port;
    port = FreePorts.forLaterBind(); // a collector binds it later
    try (TestArchive archive = new TestArchive(TestDatabase.H2, data, config -> config
        .withAudit(syslogTo(port, pki.ca())))) {
      List<String> studies = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        TestInstances.Uids uids = TestInstances.fresh();
        studies.add(uids.study());
        HttpResponse<String> stow = dev.atrium.support.Http.post(archive.dicomWeb() + "/studies",
            Multipart.CONTENT_TYPE, Multipart.body(TestInstances.ct(work, uids)));
        assertThat(stow.statusCode()).as("ingest goes on without a collector").isEqualTo(200);
      }
      try (SyslogReceiver collector = new SyslogReceiver(collectorTls, port)) {
        for (String study : studies) {
          awaitMessage(collector, m -> m.contains(study) && m.contains("csd-code=\"110104\""),
              "spooled record of " + study);
        }
      }
    } finally {
      TempFiles.delete(data);
    }
  }

  @Test
  void recordsGoToAUdpCollectorToo() throws Exception {
    Path data = Files.createTempDirectory("atrium-audit-udp");
    try (java.net.DatagramSocket collector = new java.net.DatagramSocket(0,
        java.net.InetAddress.getLoopbackAddress())) {
      collector.setSoTimeout(30_000);
      try (TestArchive archive = new TestArchive(TestDatabase.H2, data, config -> config.withAudit(
          new AtriumConfig.Audit(true, "", "ATRIUM", "127.0.0.1", collector.getLocalPort(), "udp", "")))) {
        TestInstances.Uids uids = TestInstances.fresh();
        assertThat(dev.atrium.support.Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
            Multipart.body(TestInstances.ct(work, uids))).statusCode()).isEqualTo(200);
        // RFC 5426: one message per datagram, no framing.
        List<String> received = new java.util.ArrayList<>();
        byte[] buffer = new byte[65_536];
        while (received.stream().noneMatch(m -> m.contains(uids.study()))) {
          java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
          collector.receive(packet); // times out, failing the test, if the record never comes
          received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
        assertThat(received).allMatch(m -> m.startsWith("<85>1 ") && m.endsWith("</AuditMessage>"));
      }
    } finally {
      TempFiles.delete(data);
    }
  }

  private AtriumConfig.Security security() {
    return new AtriumConfig.Security(true, idp.issuerUrl("default").toString(), "atrium", "", "roles", 30,
        List.of("RS256"), Map.of("DicomDataOwner", List.of("read", "write", "delete", "admin")), 300);
  }

  /** The decoded ParticipantObjectQuery of a message, or "". */
  private static String query(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<ParticipantObjectQuery>([^<]*)<").matcher(message);
    return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : "";
  }

  private static void awaitMessage(SyslogReceiver collector, Predicate<String> wanted, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (collector.messages.stream().anyMatch(wanted)) return;
      Thread.sleep(100);
    }
    throw new AssertionError("no audit message for " + what + " among " + collector.messages.size() + ":\n"
        + String.join("\n", collector.messages));
  }

  private String token(String subject) {
    return idp.issueToken("default", "client", new DefaultOAuth2TokenCallback("default", subject,
        JOSEObjectType.JWT.getType(), List.of("atrium"), Map.of("roles", List.of("DicomDataOwner")), 3600)).serialize();
  }

  private static HttpResponse<String> send(TestArchive archive, String method, String path, String token, byte[] body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(archive.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) request.header("Content-Type", Multipart.CONTENT_TYPE);
    if (token != null) request.header("Authorization", "Bearer " + token);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The RoleIDCode of the requesting participant of an audit message. */
  private static String requestorRole(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "UserIsRequestor=\"true\".*?<RoleIDCode csd-code=\"(\\d+)\"").matcher(message);
    return m.find() ? m.group(1) : "";
  }
}
