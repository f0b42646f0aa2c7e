package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Http;
import dev.atrium.support.TestInstances;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * WADO-URI (PS3.18 9) over real HTTP: each content type, the rendering parameters of the URI
 * service (sharing the WADO-RS rendering path), transcoding (sharing the WADO-RS and C-MOVE/C-GET
 * path), and each error.
 */
abstract class WadoUriContract extends RenderingFixtures {
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  private String wado(Stored s, String more) {
    return archive.baseUrl() + "/wado?requestType=WADO&studyUID=" + s.uids().study() + "&seriesUID="
        + s.uids().series() + "&objectUID=" + s.uids().sop() + more;
  }

  @Test
  void imagePngAndJpegAreRenderedWithTheInstancesWindow() throws Exception {
    BufferedImage png = image(wado(ct, "&contentType=image/png"), null, PNG, 64, 48);
    assertQuadrants(png, 102, 230, 0, 0);
    BufferedImage jpeg = image(wado(ct, "&contentType=image/jpeg&imageQuality=95"), null, JPEG);
    assertThat(gray(jpeg, 48, 12)).isBetween(224, 236);
  }

  @Test
  void withoutContentTypeASingleFrameImageIsJpegAndOtherwiseTheDicomInstance() throws Exception {
    image(wado(ct, ""), null, JPEG, 64, 48);
    HttpResponse<byte[]> multi = Http.getBytes(wado(multiFrame, ""), null);
    assertThat(multi.statusCode()).isEqualTo(200);
    assertThat(multi.headers().firstValue("Content-Type")).hasValue("application/dicom");
    assertThat(multi.body()).isEqualTo(Files.readAllBytes(multiFrame.file()));
  }

  @Test
  void applicationDicomIsTheStoredInstanceInItsStoredSyntax() throws Exception {
    byte[] stored = Files.readAllBytes(ctLossless.file());
    for (String query : new String[] {"&contentType=application/dicom",
        "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.4.70",
        "&contentType=application/dicom&transferSyntax=*"}) {
      HttpResponse<byte[]> response = Http.getBytes(wado(ctLossless, query), null);
      assertThat(response.statusCode()).as(query).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/dicom");
      assertThat(response.body()).as(query).isEqualTo(stored);
    }
    assertThat(expectStatus(wado(ct, "&contentType=application/dicom&transferSyntax=1.2.x"), null, 400).body())
        .contains("transferSyntax");
    assertThat(expectStatus(wado(ct, "&contentType=application/dicom&windowCenter=1&windowWidth=2"), null, 400)
        .body()).contains("windowCenter");
    assertThat(expectStatus(wado(ct, "&contentType=image/jpeg&transferSyntax=1.2.840.10008.1.2.1"), null, 400)
        .body()).contains("transferSyntax");
  }

  @Test
  void applicationDicomWithAnotherTransferSyntaxIsTranscodedAsWadoRsAndCMoveDo() throws Exception {
    for (String syntax : new String[] {EXPLICIT_LE, "1.2.840.10008.1.2", "1.2.840.10008.1.2.2"}) {
      HttpResponse<byte[]> response = Http.getBytes(wado(ctLossless, "&contentType=application/dicom&transferSyntax="
          + syntax), null);
      assertThat(response.statusCode()).as(syntax).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/dicom");
      Path ours = Files.write(Files.createTempFile(work, "wado-uri", ".dcm"), response.body());
      assertThat(CodecFixtures.transferSyntax(ours)).isEqualTo(syntax);
      Path theirs = CodecFixtures.convert(ctLossless.file(), work, "dcmdjpeg");
      assertThat(CodecFixtures.decodedImage(ours)).as(syntax + " against dcmdjpeg")
          .isEqualTo(CodecFixtures.decodedImage(theirs));
    }
    Path implicit = Files.write(Files.createTempFile(work, "wado-uri", ".dcm"), Http.getBytes(wado(ct,
        "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2"), null).body());
    assertThat(CodecFixtures.normalizedDump(implicit)).as("native to native, as dcmconv +ti does it")
        .isEqualTo(CodecFixtures.normalizedDump(CodecFixtures.convert(ct.file(), work, "dcmconv", "+ti")));

    // The archive decodes but does not encode: a compressed syntax other than the stored one is 406, named.
    assertThat(expectStatus(wado(ct, "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.4.80"), null,
        406).body()).contains("transferSyntax").contains("1.2.840.10008.1.2.4.80");
    assertThat(expectStatus(wado(ctLossless, "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.4.50"),
        null, 406).body()).contains("1.2.840.10008.1.2.4.50");
  }

  @Test
  void theContentTypeListIsNegotiatedWithQValues() throws Exception {
    image(wado(ct, "&contentType=image/png;q=0.5,image/jpeg"), null, JPEG);
    image(wado(ct, "&contentType=image/jpeg;q=0.5,image/png"), null, PNG);
    HttpResponse<byte[]> dicom = Http.getBytes(wado(ct, "&contentType=image/jpeg;q=0.1,application/dicom"), null);
    assertThat(dicom.headers().firstValue("Content-Type")).hasValue("application/dicom");
    assertThat(expectStatus(wado(ct, "&contentType=text/html"), null, 406).body()).contains("contentType");
  }

  @Test
  void windowFrameSizeAndRegionParameters() throws Exception {
    BufferedImage windowed = image(wado(ct, "&contentType=image/png&windowCenter=0&windowWidth=400"), null, PNG);
    assertQuadrants(windowed, 128, 255, 0, 0);
    BufferedImage frame3 = image(wado(multiFrame,
        "&contentType=image/png&frameNumber=3&windowCenter=2000&windowWidth=4001"), null, PNG);
    assertThat(gray(frame3, 4, 4)).as("3000 through a linear 2000/4001 window").isEqualTo(191);
    // A frame asked of a multi-frame image without contentType: a rendered image (it was 400).
    image(wado(multiFrame, "&frameNumber=2"), null, JPEG);
    BufferedImage rows = image(wado(ct, "&contentType=image/png&rows=24"), null, PNG, 32, 24);
    BufferedImage both = image(wado(ct, "&contentType=image/png&rows=100&columns=32"), null, PNG, 32, 24);
    BufferedImage region = image(wado(ct, "&contentType=image/png&region=0.5,0,1,0.5"), null, PNG, 32, 24);
    assertThat(gray(region, 0, 0)).isEqualTo(230);
    assertThat(gray(region, 31, 23)).isEqualTo(230);
  }

  @Test
  void missingOrInvalidParametersAre400NamingThem() throws Exception {
    String base = archive.baseUrl() + "/wado?";
    String uids = "studyUID=" + ct.uids().study() + "&seriesUID=" + ct.uids().series() + "&objectUID="
        + ct.uids().sop();
    assertThat(expectStatus(base + uids, null, 400).body()).contains("requestType");
    assertThat(expectStatus(base + "requestType=WADO-RS&" + uids, null, 400).body()).contains("requestType");
    assertThat(expectStatus(base + "requestType=WADO&studyUID=" + ct.uids().study() + "&seriesUID="
        + ct.uids().series(), null, 400).body()).contains("objectUID");
    assertThat(expectStatus(base + "requestType=WADO&seriesUID=1.2&objectUID=1.3", null, 400).body())
        .contains("studyUID");
    assertThat(expectStatus(base + "requestType=WADO&studyUID=1.02&seriesUID=1.2&objectUID=1.3", null, 400).body())
        .contains("StudyInstanceUID");
    assertThat(expectStatus(wado(ct, "&anonymize=yes"), null, 400).body()).contains("anonymize");
    assertThat(expectStatus(wado(ct, "&windowCenter=40"), null, 400).body()).contains("windowWidth");
    assertThat(expectStatus(wado(ct, "&windowCenter=40&windowWidth=0"), null, 400).body()).contains("windowWidth");
    assertThat(expectStatus(wado(ct, "&windowCenter=a&windowWidth=10"), null, 400).body()).contains("windowCenter");
    assertThat(expectStatus(wado(ct, "&rows=0"), null, 400).body()).contains("rows");
    assertThat(expectStatus(wado(ct, "&columns=wide"), null, 400).body()).contains("columns");
    assertThat(expectStatus(wado(ct, "&region=0.5,0.5,0.2,1"), null, 400).body()).contains("region");
    assertThat(expectStatus(wado(ct, "&imageQuality=0"), null, 400).body()).contains("imageQuality");
    assertThat(expectStatus(wado(ct, "&objectUID=1.2"), null, 400).body()).contains("more than once");
    assertThat(expectStatus(wado(multiFrame, "&contentType=image/png&frameNumber=4"), null, 400).body())
        .contains("frameNumber");
    assertThat(expectStatus(wado(multiFrame, "&contentType=image/png&frameNumber=0"), null, 400).body())
        .contains("frameNumber");
  }

  @Test
  void unknownInstancesAre404AndOtherPartitionsInvisible() throws Exception {
    Stored unknown = new Stored(TestInstances.fresh(), null);
    expectStatus(wado(unknown, ""), null, 404);
    TestInstances.Uids uids = TestInstances.fresh();
    Stored elsewhere = new Stored(uids, ct(uids));
    storeIn(archive.dicomWeb() + "/partitions/wadouri", elsewhere);
    expectStatus(wado(elsewhere, "&contentType=image/png"), null, 404);
    expectStatus(wado(elsewhere, "&contentType=application/dicom"), null, 404);
  }
}
