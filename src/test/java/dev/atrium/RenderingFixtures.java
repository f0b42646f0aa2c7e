package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TestImage;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;

/**
 * Images with known pixel values, stored once per class, and the checks a user of a rendered
 * image makes: it decodes, it has the expected size, and a known pixel has the expected value.
 *
 * <p>The CT is 64x48, 16-bit signed, Rescale Intercept -1024, window 40/400 in the file, in four
 * quadrants: top left 0 HU, top right 200 HU, bottom left -200 HU, bottom right -1024 HU. With
 * the file's linear window (PS3.3 C.11.2.1.2.1) those are 102, 230, 0 and 0.
 */
abstract class RenderingFixtures extends ArchiveTest {
  /** A stored instance and the path of its WADO-RS instance resource. */
  record Stored(Uids uids, Path file) {
    String path() {
      return "/studies/" + uids.study() + "/series/" + uids.series() + "/instances/" + uids.sop();
    }
  }

  static final String PNG = "image/png";
  static final String JPEG = "image/jpeg";
  static final int[] CT_HU = {0, 200, -200, -1024};
  static final int[] MONO1_STORED = {0, 100, 200, 255};

  Stored ct;
  Stored ctLossless;
  Stored mono1;
  Stored rgb;
  Stored multiFrame;

  @BeforeAll
  void storeFixtures() throws Exception {
    Uids c = TestInstances.fresh();
    ct = new Stored(c, ct(c));
    Uids lossless = TestInstances.fresh();
    ctLossless = new Stored(lossless, CodecFixtures.convert(ct(lossless), work, "dcmcjpeg"));
    Uids m = TestInstances.fresh();
    mono1 = new Stored(m, TestImage.grayscale(m, 64, 48, 8, 8, false, "MONOCHROME1")
        .write(work, (f, x, y, s) -> MONO1_STORED[quadrant(x, y, 64, 48)]));
    Uids r = TestInstances.fresh();
    rgb = new Stored(r, rgb(r));
    Uids mf = TestInstances.fresh();
    multiFrame = new Stored(mf, multiFrame(work, mf));
    store(ct, ctLossless, mono1, rgb, multiFrame);
  }

  /** Which quadrant (0 top left, 1 top right, 2 bottom left, 3 bottom right) a pixel is in. */
  static int quadrant(int x, int y, int width, int height) {
    return (x < width / 2 ? 0 : 1) + (y < height / 2 ? 0 : 2);
  }

  Path ct(Uids uids) throws Exception {
    return ct(work, uids);
  }

  static Path ct(Path dir, Uids uids) throws Exception {
    return TestImage.grayscale(uids, 64, 48, 16, 16, true, "MONOCHROME2")
        .set(TagFromName.RescaleIntercept, "-1024").set(TagFromName.RescaleSlope, "1")
        .set(TagFromName.WindowCenter, "40").set(TagFromName.WindowWidth, "400")
        .write(dir, (f, x, y, s) -> CT_HU[quadrant(x, y, 64, 48)] + 1024);
  }

  /** 20x10, 16-bit, three frames of 1000, 2000 and 3000. */
  static Path multiFrame(Path dir, Uids uids) throws Exception {
    return TestImage.grayscale(uids, 20, 10, 16, 16, false, "MONOCHROME2").frames(3)
        .write(dir, (f, x, y, s) -> 1000 * (f + 1));
  }

  /** 32x32 RGB: red, green, blue and white quadrants. */
  Path rgb(Uids uids) throws Exception {
    int[][] colors = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    return TestImage.rgb(uids, 32, 32).write(work, (f, x, y, s) -> colors[quadrant(x, y, 32, 32)][s]);
  }

  void store(Stored... instances) throws Exception {
    storeIn(archive.dicomWeb(), instances);
  }

  static void storeIn(String dicomWebBase, Stored... instances) throws Exception {
    List<Path> files = new ArrayList<>();
    for (Stored s : instances) files.add(s.file());
    HttpResponse<String> stored = Http.post(dicomWebBase + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new)));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
  }

  /** GETs an image and decodes it, asserting the status and media type first. */
  static BufferedImage image(String url, String accept, String mediaType) throws Exception {
    HttpResponse<byte[]> response = Http.getBytes(url, accept);
    assertThat(response.statusCode()).as(url + ": " + new String(response.body())).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).as(url).hasValue(mediaType);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(image).as("a decodable " + mediaType + " from " + url).isNotNull();
    return image;
  }

  /** The same, also asserting the image's width and height. */
  static BufferedImage image(String url, String accept, String mediaType, int width, int height) throws Exception {
    BufferedImage image = image(url, accept, mediaType);
    assertThat(image.getWidth()).as("width of " + url).isEqualTo(width);
    assertThat(image.getHeight()).as("height of " + url).isEqualTo(height);
    return image;
  }

  /** The gray values at the centres of the image's quadrants: top left, top right, bottom left, bottom right. */
  static void assertQuadrants(BufferedImage image, int... expected) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[][] centers = {{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}};
    for (int q = 0; q < 4; q++) {
      assertThat(gray(image, centers[q][0], centers[q][1])).as("quadrant " + q).isEqualTo(expected[q]);
    }
  }

  static int gray(BufferedImage image, int x, int y) {
    return image.getRaster().getSample(x, y, 0);
  }

  static int[] rgbAt(BufferedImage image, int x, int y) {
    int p = image.getRGB(x, y);
    return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
  }

  /** The response's status, with its body (the archive's message) in the assertion's description. */
  static HttpResponse<String> expectStatus(String url, String accept, int status) throws Exception {
    HttpResponse<String> response = Http.get(url, accept);
    assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(status);
    return response;
  }
}
