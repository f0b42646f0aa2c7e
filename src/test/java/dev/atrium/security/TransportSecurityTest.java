package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #6, transport security: a test CA made now with openssl signs the archive's certificate
 * (PEM chain + PKCS#8 key, as configured) and a modality's client certificate; curl speaks HTTPS
 * (HTTP/1.1 and HTTP/2) and dcmtk speaks DICOM TLS to the second DIMSE port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportSecurityTest {
  private Path dataDir;
  private TestPki testPki;
  private Path pki;
  private TestArchive archive;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-tls");
    testPki = new TestPki();
    pki = testPki.dir;
    testPki.issueServer("server");
    testPki.issueClient("modality", "MODALITY");
    AtriumConfig.Tls tls = new AtriumConfig.Tls("", "", pki.resolve("server.pem").toString(),
        pki.resolve("server.key").toString(), pki.resolve("ca.pem").toString());
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> {
      AtriumConfig withPorts = config.withEndpoints(dataDir, 0, 0, 0, 0).withTls(tls);
      AtriumConfig.Dimse d = withPorts.dimse();
      return withPorts.withDimse(new AtriumConfig.Dimse(d.bindAddress(), d.port(), d.maxPduLength(),
          d.maxAssociations(), d.idleTimeoutSeconds(), d.remoteAes(), d.calledAePartitions(), d.tlsPort(),
          AtriumConfig.ClientAuth.NEED));
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    if (testPki != null) testPki.close();
  }

  @Test
  void aPrivateKeyThatIsNotTheCertificatesIsRefusedAtStart() {
    // It used to start, and then fail every handshake.
    AtriumConfig.Tls mismatched = new AtriumConfig.Tls("", "", pki.resolve("server.pem").toString(),
        pki.resolve("modality.key").toString(), pki.resolve("ca.pem").toString());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.atrium.security.TlsContexts.create(mismatched))
        .isInstanceOf(dev.atrium.config.ConfigException.class)
        .hasMessageContaining("modality.key is not the private key of the first certificate in");
    assertThat(dev.atrium.security.TlsContexts.create(new AtriumConfig.Tls("", "", pki.resolve("server.pem")
        .toString(), pki.resolve("server.key").toString(), pki.resolve("ca.pem").toString()))).isNotNull();
  }

  @Test
  void httpsWithHttp2ForClientsThatOfferIt() throws Exception {
    String url = "https://127.0.0.1:" + archive.httpsPort() + "/health";
    Dcmtk.Result h1 = Dcmtk.run(30, "curl", "-sS", "--http1.1", "--cacert", pki.resolve("ca.pem").toString(), "-o",
        "/dev/null", "-w", "%{http_code} %{http_version}", url);
    assertThat(h1.output()).isEqualTo("200 1.1");
    Dcmtk.Result h2 = Dcmtk.run(30, "curl", "-sS", "--http2", "--cacert", pki.resolve("ca.pem").toString(), "-o",
        "/dev/null", "-w", "%{http_code} %{http_version}", url);
    assertThat(h2.output()).isEqualTo("200 2");
    Dcmtk.Result qido = Dcmtk.run(30, "curl", "-sS", "--cacert", pki.resolve("ca.pem").toString(), "-w",
        " %{http_code}", "https://localhost:" + archive.httpsPort() + "/dicom-web/studies");
    assertThat(qido.output()).endsWith(" 200");
  }

  @Test
  void oldTlsVersionsAndUntrustedServersAreRefused() throws Exception {
    Dcmtk.Result tls11 = Dcmtk.run(30, "curl", "-sS", "--tlsv1.1", "--tls-max", "1.1", "--cacert",
        pki.resolve("ca.pem").toString(), "https://127.0.0.1:" + archive.httpsPort() + "/health");
    assertThat(tls11.exitCode()).as(tls11.output()).isNotZero();
    Dcmtk.Result untrusted = Dcmtk.run(30, "curl", "-sS", "https://127.0.0.1:" + archive.httpsPort() + "/health");
    assertThat(untrusted.exitCode()).as("curl without the test CA must not trust the archive").isNotZero();
  }

  @Test
  void dicomTlsWithAClientCertificate() throws Exception {
    Path instance = TestInstances.ct(Files.createDirectories(pki.resolve("data")), TestInstances.fresh());
    Dcmtk.Result echo = dcmtkTls("echoscu", true);
    assertThat(echo.exitCode()).as(echo.output()).isZero();
    Dcmtk.Result store = dcmtkTls("storescu", true, instance.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    assertThat(store.output()).contains("Received Store Response (Success)");
  }

  @Test
  void aClientCertificateMapsToItsAeTitle() throws Exception {
    // The certificate says MODALITY: calling as another AE over that TLS session is refused.
    List<String> command = new ArrayList<>(List.of("echoscu", "-v", "-aet", "IMPOSTOR", "-aec", archive.aeTitle(),
        "+tls", pki.resolve("modality.key").toString(), pki.resolve("modality.pem").toString(), "+cf",
        pki.resolve("ca.pem").toString(), "127.0.0.1", String.valueOf(archive.dimseTlsPort())));
    Dcmtk.Result impostor = Dcmtk.run(60, command);
    assertThat(impostor.exitCode()).isNotZero();
    assertThat(impostor.output()).contains("Calling AE Title Not Recognized");
  }

  @Test
  void dicomTlsWithoutAClientCertificateIsRefusedWhenOneIsNeeded() throws Exception {
    Dcmtk.Result echo = dcmtkTls("echoscu", false);
    assertThat(echo.exitCode()).as(echo.output()).isNotZero();
    // The plain port is unaffected.
    assertThat(Dcmtk.run(30, "echoscu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort())).exitCode()).isZero();
  }

  @Test
  void aPlainConnectionToTheTlsPortIsRefusedAndAudited() throws Exception {
    Dcmtk.Result plain = Dcmtk.run(30, "echoscu", "-aet", "MODALITY", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimseTlsPort()));
    assertThat(plain.exitCode()).as(plain.output()).isNotZero();
    // PS3.15 A.5.3.11: a Node Authentication security alert, from the peer's address.
    Path auditLog = dataDir.resolve("audit/audit.log");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!(Files.exists(auditLog) && Files.readString(auditLog).contains("DICOM TLS handshake failed"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(auditLog)).contains("DICOM TLS handshake failed")
        .contains("NetworkAccessPointID=\"127.0.0.1\"");
  }

  private Dcmtk.Result dcmtkTls(String tool, boolean withCertificate, String... files) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool, "-v", "-aet", "MODALITY", "-aec", archive.aeTitle()));
    if (withCertificate) {
      command.addAll(List.of("+tls", pki.resolve("modality.key").toString(), pki.resolve("modality.pem").toString()));
    } else {
      command.add("+tla");
    }
    command.addAll(List.of("+cf", pki.resolve("ca.pem").toString(), "127.0.0.1",
        String.valueOf(archive.dimseTlsPort())));
    command.addAll(List.of(files));
    return Dcmtk.run(60, command);
  }
}
