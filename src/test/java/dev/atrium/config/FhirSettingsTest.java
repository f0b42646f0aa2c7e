package dev.atrium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FhirSettingsTest {
  @Test
  void offByDefaultAndSetFromTheEnvironment() throws Exception {
    FhirSettings defaults = ConfigLoader.load(Map.of()).fhir();
    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.auth().type()).isEqualTo(FhirSettings.AuthType.NONE);
    assertThat(defaults.onLastInstanceDeleted()).isEqualTo(FhirSettings.OnLastInstanceDeleted.ENTERED_IN_ERROR);
    assertThat(defaults.batchSize()).isEqualTo(100);

    FhirSettings fhir = ConfigLoader.load(Map.of("ATRIUM_FHIR_ENABLED", "true",
        "ATRIUM_FHIR_BASE_URL", "https://fhir.example.org/r4/", "ATRIUM_FHIR_AUTH_TYPE", "oauth2-client-credentials",
        "ATRIUM_FHIR_AUTH_TOKEN_URL", "https://login.example.org/token", "ATRIUM_FHIR_AUTH_CLIENT_ID", "atrium",
        "ATRIUM_FHIR_ON_LAST_INSTANCE_DELETED", "delete", "ATRIUM_FHIR_BATCH_SIZE", "500",
        "ATRIUM_FHIR_PARTITIONS", "CLINIC-A=https://fhir.example.org/tenant-a,CLINIC-B=https://b.example.org/fhir"))
        .fhir();
    assertThat(fhir.enabled()).isTrue();
    assertThat(fhir.baseUrl()).isEqualTo("https://fhir.example.org/r4");
    assertThat(fhir.auth().type()).isEqualTo(FhirSettings.AuthType.OAUTH2_CLIENT_CREDENTIALS);
    assertThat(fhir.onLastInstanceDeleted()).isEqualTo(FhirSettings.OnLastInstanceDeleted.DELETE);
    assertThat(fhir.batchSize()).isEqualTo(500);
    assertThat(fhir.baseUrlFor("CLINIC-A")).isEqualTo("https://fhir.example.org/tenant-a");
    assertThat(fhir.baseUrlFor("CLINIC-B")).isEqualTo("https://b.example.org/fhir");
    assertThat(fhir.baseUrlFor("DEFAULT")).isEqualTo("https://fhir.example.org/r4");
  }

  @Test
  void badValuesAreReportedByKey() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_ENABLED", "true")))
        .hasMessageContaining("fhir.baseUrl");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_ENABLED", "yes")))
        .hasMessageContaining("fhir.enabled");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_BASE_URL", "fhir.example.org")))
        .hasMessageContaining("fhir.baseUrl");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_AUTH_TYPE", "kerberos")))
        .hasMessageContaining("fhir.auth.type");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_ENABLED", "true",
        "ATRIUM_FHIR_BASE_URL", "http://fhir", "ATRIUM_FHIR_AUTH_TYPE", "oauth2-client-credentials")))
        .hasMessageContaining("fhir.auth.tokenUrl");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_ON_LAST_INSTANCE_DELETED", "purge")))
        .hasMessageContaining("fhir.onLastInstanceDeleted");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ATRIUM_FHIR_PARTITIONS", "CLINIC-A")))
        .hasMessageContaining("CLINIC-A");
  }
}
