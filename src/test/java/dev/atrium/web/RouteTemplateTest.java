package dev.atrium.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names monitoring sees for routes: their path patterns with each captured part named, not matched. */
class RouteTemplateTest {
  @Test
  void capturedPartsAreNamedAndOptionalOnesBracketed() {
    String series = "/dicom-web/studies/(?<study>" + Route.UID + ")/series/(?<series>" + Route.UID + ")";
    assertThat(Route.template(series + "/instances/(?<instance>" + Route.UID + ")/frames/(?<frames>[^/]+)"))
        .isEqualTo("/dicom-web/studies/{study}/series/{series}/instances/{instance}/frames/{frames}");
    assertThat(Route.template("/dicom-web(/v2)?/changefeed/latest")).isEqualTo("/dicom-web[/v2]/changefeed/latest");
    assertThat(Route.template("/dicom-web/studies")).isEqualTo("/dicom-web/studies");
  }
}
