package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DICOM TLS that only wants client certificates: a modality configured as {@code certified} must show one naming
 * it, on the TLS port as on the plain one, while a viewer without a certificate still connects. Before, anyone
 * without a certificate could call itself MODALITY: the certificate-to-AE check ran only when one was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertifiedAeTest {
  private Path dataDir;
  private TestPki pki;
  private TestArchive archive;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-certified");
    pki = new TestPki();
    pki.issueServer("server");
    pki.issueClient("modality", "MODALITY");
    pki.issueClient("viewer", "VIEWER");
    AtriumConfig.Tls tls = new AtriumConfig.Tls("", "", pki.certificate("server").toString(),
        pki.key("server").toString(), pki.ca().toString());
    Map<String, AtriumConfig.KnownAe> known = Map.of(
        "MODALITY", new AtriumConfig.KnownAe("MODALITY", List.of(), Set.of(), true),
        "VIEWER", new AtriumConfig.KnownAe("VIEWER", List.of(), Set.of(), false));
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> {
      AtriumConfig withPorts = config.withEndpoints(dataDir, 0, 0, 0, 0).withTls(tls);
      AtriumConfig.Dimse d = withPorts.dimse();
      return withPorts.withDimse(new AtriumConfig.Dimse(d.bindAddress(), d.port(), d.maxPduLength(),
          d.maxAssociations(), d.idleTimeoutSeconds(), known, d.calledAePartitions(), d.tlsPort(),
          AtriumConfig.ClientAuth.WANT));
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    if (pki != null) pki.close();
  }

  @Test
  void aCertifiedAeConnectsWithItsCertificate() throws Exception {
    Dcmtk.Result echo = echoOverTls("MODALITY", "modality");
    assertThat(echo.exitCode()).as(echo.output()).isZero();
  }

  @Test
  void nobodyCallsAsACertifiedAeWithoutItsCertificate() throws Exception {
    assertRefused(echoOverTls("MODALITY", null));
    assertRefused(echoOverTls("MODALITY", "viewer"));
    assertRefused(Dcmtk.run(30, "echoscu", "-v", "-aet", "MODALITY", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort())));
  }

  @Test
  void anAeNotCertifiedConnectsWithoutACertificateButNotWithAnothersOne() throws Exception {
    Dcmtk.Result tls = echoOverTls("VIEWER", null);
    assertThat(tls.exitCode()).as(tls.output()).isZero();
    Dcmtk.Result plain = Dcmtk.run(30, "echoscu", "-aet", "VIEWER", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort()));
    assertThat(plain.exitCode()).as(plain.output()).isZero();
    assertRefused(echoOverTls("VIEWER", "modality"));
  }

  private static void assertRefused(Dcmtk.Result echo) {
    assertThat(echo.exitCode()).as(echo.output()).isNotZero();
    assertThat(echo.output()).contains("Calling AE Title Not Recognized");
  }

  /** echoscu over DICOM TLS calling as {@code callingAe}, with the named client certificate or none. */
  private Dcmtk.Result echoOverTls(String callingAe, String certificate) throws Exception {
    List<String> command = new ArrayList<>(List.of("echoscu", "-v", "-aet", callingAe, "-aec", archive.aeTitle()));
    if (certificate == null) {
      command.add("+tla");
    } else {
      command.addAll(List.of("+tls", pki.key(certificate).toString(), pki.certificate(certificate).toString()));
    }
    command.addAll(List.of("+cf", pki.ca().toString(), "127.0.0.1", String.valueOf(archive.dimseTlsPort())));
    return Dcmtk.run(60, command);
  }
}
