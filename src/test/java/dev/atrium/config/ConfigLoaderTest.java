package dev.atrium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void theFixedEnvironmentNamesFollowFromTheKeyPaths() {
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("ATRIUM_HTTP_PORT");
    assertThat(ConfigLoader.envName("dimse.port")).isEqualTo("ATRIUM_DIMSE_PORT");
    assertThat(ConfigLoader.envName("aeTitle")).isEqualTo("ATRIUM_AE_TITLE");
    assertThat(ConfigLoader.envName("dataDir")).isEqualTo("ATRIUM_DATA_DIR");
    assertThat(ConfigLoader.envName("db.url")).isEqualTo("ATRIUM_DB_URL");
    assertThat(ConfigLoader.envName("dimse.maxPduLength")).isEqualTo("ATRIUM_DIMSE_MAX_PDU_LENGTH");
  }

  @Test
  void defaultsMatchTheProductCardAndEnvironmentOverridesThem() throws Exception {
    AtriumConfig defaults = ConfigLoader.load(Map.of());
    assertThat(defaults.http().port()).isEqualTo(8080);
    assertThat(defaults.dimse().port()).isEqualTo(11112);
    assertThat(defaults.aeTitle()).isEqualTo("ATRIUM");
    assertThat(defaults.dataDir().toString()).isEqualTo("./data");
    assertThat(defaults.db().embedded()).isTrue();
    assertThat(defaults.store().duplicatePolicyStow()).isEqualTo(AtriumConfig.DuplicatePolicy.REJECT);
    assertThat(defaults.store().duplicatePolicyDimse()).isEqualTo(AtriumConfig.DuplicatePolicy.IGNORE);

    AtriumConfig overridden = ConfigLoader.load(Map.of("ATRIUM_HTTP_PORT", "9090", "ATRIUM_AE_TITLE", "PACS1",
        "ATRIUM_DB_URL", "jdbc:mariadb://db:3306/atrium", "ATRIUM_STORE_DUPLICATE_POLICY_STOW", "overwrite",
        "ATRIUM_MOVE_DESTINATIONS", "VIEWER@10.0.0.5:104,WS2@ws2:11113"));
    assertThat(overridden.http().port()).isEqualTo(9090);
    assertThat(overridden.aeTitle()).isEqualTo("PACS1");
    assertThat(overridden.db().embedded()).isFalse();
    assertThat(overridden.store().duplicatePolicyStow()).isEqualTo(AtriumConfig.DuplicatePolicy.OVERWRITE);
    assertThat(overridden.moveDestinations()).containsEntry("VIEWER",
        new AtriumConfig.RemoteAe("VIEWER", "10.0.0.5", 104)).containsKey("WS2");

    assertThat(defaults.http().cors().enabled()).isFalse();
    Cors cors = ConfigLoader.load(Map.of("ATRIUM_HTTP_CORS_ALLOWED_ORIGINS",
        "https://viewer.example.org, http://localhost:3000")).http().cors();
    assertThat(cors.allowedOrigins()).containsExactly("https://viewer.example.org", "http://localhost:3000");
    assertThat(cors.maxAgeSeconds()).isEqualTo(600);
  }

  /** An origin no browser sends would match nothing: the viewer would fail, and nothing would say why. */
  @Test
  void corsOriginsMustBeOriginsAsBrowsersSendThem() throws Exception {
    for (String notAnOrigin : java.util.List.of("http://localhost:3000/", "https://viewer.example.org/ohif",
        "viewer.example.org", "https://Viewer.example.org", "http://user@viewer:80")) {
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_HTTP_CORS_ALLOWED_ORIGINS", notAnOrigin)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("http.cors.allowedOrigins: '" + notAnOrigin + "'");
    }
    assertThat(ConfigLoader.load(Map.of("ATRIUM_HTTP_CORS_ALLOWED_ORIGINS", "*")).http().cors().allowedOrigins())
        .containsExactly("*");
  }

  @Test
  void badValuesAreReportedByKey() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_HTTP_PORT", "eighty")))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_SECURITY_JWKS_CACHE_SECONDS", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("security.jwksCacheSeconds");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_SECURITY_CLOCK_SKEW_SECONDS", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("security.clockSkewSeconds");
    for (String notABoolean : java.util.List.of("yes", "1", "on")) { // never read as false: security fails closed
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_SECURITY_ENABLED", notABoolean)))
          .isInstanceOf(ConfigException.class).hasMessageContaining("security.enabled must be true or false");
    }
    assertThat(ConfigLoader.load(Map.of("ATRIUM_SECURITY_ENABLED", " TRUE ", "ATRIUM_SECURITY_ISSUER",
        "https://issuer.example", "ATRIUM_SECURITY_AUDIENCE", "atrium")).security().enabled()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_AUDIT_ENABLED", "no")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("audit.enabled");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_AE_TITLE", "A_TITLE_FAR_TOO_LONG")))
        .hasMessageContaining("aeTitle");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_MOVE_DESTINATIONS", "NOPORT@host")))
        .hasMessageContaining("NOPORT");
  }

  @Test
  void aFileThatIsNotYamlIsNamedWithThePlace() throws Exception {
    Path yaml = Files.createTempFile("atrium-bad", ".yaml");
    try {
      Files.writeString(yaml, "http:\n  port: 8080\n   dimse: [unclosed\n");
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_CONFIG", yaml.toString())))
          .isInstanceOf(IOException.class).hasMessageStartingWith(yaml + " is not valid YAML at line 3")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    } finally {
      Files.deleteIfExists(yaml);
    }
  }

  @Test
  void misspeltKeysAndVariablesAreNamed() throws Exception {
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    var known = yaml.readTree(Files.readString(Path.of("conf/atrium.yaml")));
    var given = yaml.readTree(Files.readString(Path.of("conf/atrium.yaml"))
        + "\nstrore: { duplicatePolicyStow: overwrite }\n");
    assertThat(UnknownSettings.find(known, given, Map.of("ATRIUM_HTTP_PROT", "1", "ATRIUM_HTTP_PORT", "9090",
        "ATRIUM_DIMSE_REMOTE_AES", "x", "ATRIUM_CONFIG", "a.yaml", "ATRIUM_TEST_MARIADB_URL", "jdbc:x")))
        .containsExactly("configuration key 'strore.duplicatePolicyStow' is not a setting; it is ignored",
            "environment variable ATRIUM_HTTP_PROT is not a setting; it is ignored");
    // the operator's own keys below a map of AE titles are not settings to check
    var ae = yaml.readTree(Files.readString(Path.of("conf/atrium.yaml")).replace("remoteAes: {}",
        "remoteAes: { CT_1: { hosts: 10.1.1.0/24, certified: true } }"));
    assertThat(UnknownSettings.find(known, ae, Map.of())).isEmpty();
  }

  @Test
  void anAeThatMustShowACertificateNeedsDicomTlsThatAsksForOne() throws Exception {
    Path yaml = Files.createTempFile("atrium-certified", ".yaml");
    try {
      // The shipped configuration, which has no TLS key, with one AE that must show a certificate.
      Files.writeString(yaml, Files.readString(Path.of("conf/atrium.yaml")).replace("remoteAes: {}",
          "remoteAes: { CT_1: { hosts: 10.1.1.0/24, certified: true } }"));
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_CONFIG", yaml.toString())))
          .isInstanceOf(ConfigException.class).hasMessageContaining("dimse.remoteAes.CT_1.certified needs DICOM TLS");
      Files.writeString(yaml, Files.readString(yaml).replace("certified: true", "certified: yes please"));
      assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_CONFIG", yaml.toString())))
          .isInstanceOf(ConfigException.class).hasMessageContaining("certified must be true or false");
      Files.writeString(yaml, Files.readString(yaml).replace("certified: yes please", "certified: false"));
      assertThat(ConfigLoader.load(Map.of("ATRIUM_CONFIG", yaml.toString())).dimse().remoteAes().get("CT_1")
          .certified()).isFalse();
    } finally {
      Files.deleteIfExists(yaml);
    }
  }
}
