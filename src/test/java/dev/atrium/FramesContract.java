package dev.atrium;

import static dev.atrium.support.CodecFixtures.EXPLICIT_LE;
import static dev.atrium.support.CodecFixtures.JPEG_EXTENDED;
import static dev.atrium.support.CodecFixtures.JPEG_LOSSLESS_SV1;
import static dev.atrium.support.CodecFixtures.JPEG_LS;
import static dev.atrium.support.CodecFixtures.RLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.MultipartResponse;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WADO-RS /frames/{list} (PS3.18 10.4.1.1.5, 8.7.3.5) over real HTTP: a 7-frame instance stored
 * natively in each native syntax and compressed by dcmtk with and without offset tables and with
 * several fragments per frame. Native frames must be the byte ranges of Pixel Data; compressed
 * ones the stored fragments (dcmdump +W) or, decoded, the original pixels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FramesContract extends ArchiveTest {
  private static final int FRAMES = 7;
  private static final int ROWS = 48;
  private static final int COLUMNS = 64;
  private static final int FRAME_BYTES = ROWS * COLUMNS * 2;
  private static final String OCTET_PARTS = "multipart/related; type=\"application/octet-stream\"";

  private final Map<String, Stored> stored = new LinkedHashMap<>();
  private byte[] pixels;
  private byte[] pixels8;
  private Path gray8;

  private record Stored(Uids uids, Path file) {}

  @BeforeAll
  void storeFixtures() throws Exception {
    Path native16 = CodecFixtures.multiFrame(work, TestInstances.fresh(), FRAMES, ROWS, COLUMNS, 12);
    gray8 = CodecFixtures.multiFrame(work, TestInstances.fresh(), FRAMES, ROWS, COLUMNS, 8);
    pixels = CodecFixtures.pixelData(native16);
    pixels8 = CodecFixtures.pixelData(gray8);
    add("native", native16);
    for (var variant : CodecFixtures.inOtherNativeSyntaxes(native16, work).entrySet()) add(variant.getKey(), variant.getValue());
    add("rle", CodecFixtures.convert(native16, work, "dcmcrle"));
    add("jpeg", CodecFixtures.convert(native16, work, "dcmcjpeg", "+e1"));
    add("jpegNoTable", CodecFixtures.convert(native16, work, "dcmcjpeg", "+e1", "-ot"));
    add("jpegFragments", CodecFixtures.convert(native16, work, "dcmcjpeg", "+e1", "+fs", "1"));
    add("jpegFragmentsNoTable", CodecFixtures.convert(native16, work, "dcmcjpeg", "+e1", "+fs", "1", "-ot"));
    add("jls", CodecFixtures.convert(native16, work, "dcmcjpls"));
    add("jpeg12", CodecFixtures.convert(native16, work, "dcmcjpeg", "+ee"));
    Uids colour = TestInstances.fresh(); // 12-bit lossy colour: no codec here decodes it
    stored.put("colour12", new Stored(colour, CodecFixtures.twelveBitColourJpeg(work, colour)));
    add("baseline8", CodecFixtures.convert(gray8, work, "dcmcjpeg", "+eb"));
    add("singleFrame", TestInstances.ct(work, TestInstances.fresh()));
    add("report", Corpus.testFile("reportsi.dcm"));
    add("ybr422", Corpus.testFile("SC_ybr_full_422_uncompressed.dcm"));
    HttpResponse<String> response = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(stored.values().stream().map(Stored::file).toArray(Path[]::new)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(CodecFixtures.items(file("jpegFragments"), work).size() - 1)
        .as("several fragments per frame").isGreaterThan(FRAMES);
  }

  private void add(String name, Path source) throws Exception {
    Uids uids = TestInstances.fresh();
    stored.put(name, new Stored(uids, CodecFixtures.withUids(source, work, uids)));
  }

  private Path file(String name) {
    return stored.get(name).file();
  }

  // ---- native frames ----

  @Test
  void nativeFramesAreTheByteRangesOfPixelDataInAnyNativeSyntax() throws Exception {
    for (String name : List.of("native", "implicit", "bigEndian", "deflated")) {
      for (String accept : new String[] {OCTET_PARTS, null, "*/*", OCTET_PARTS + "; transfer-syntax=" + EXPLICIT_LE}) {
        HttpResponse<byte[]> response = frames(name, "3,1,7", accept);
        assertThat(response.statusCode()).as(name).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(OCTET_PARTS);
        List<MultipartResponse.Part> parts = MultipartResponse.parts(response);
        assertThat(parts).extracting(MultipartResponse.Part::body).as(name + " frames 3, 1, 7 (little endian)")
            .containsExactly(frame(pixels, 3, FRAME_BYTES), frame(pixels, 1, FRAME_BYTES), frame(pixels, 7, FRAME_BYTES));
        for (MultipartResponse.Part part : parts) {
          assertThat(part.contentType()).isEqualTo("application/octet-stream; transfer-syntax=" + EXPLICIT_LE);
          assertThat(part.headers().get("content-length")).isEqualTo(String.valueOf(FRAME_BYTES));
        }
      }
    }
  }

  /** One frame may come as the whole body (as the Azure DICOM service serves it); several need a multipart one. */
  @Test
  void aSingleFrameMayBeTheWholeBody() throws Exception {
    for (String name : List.of("native", "bigEndian", "jpeg")) {
      HttpResponse<byte[]> single = frames(name, "3", "application/octet-stream");
      assertThat(single.statusCode()).as(name).isEqualTo(200);
      assertThat(single.headers().firstValue("Content-Type")).as(name)
          .hasValue("application/octet-stream; transfer-syntax=" + EXPLICIT_LE);
      assertThat(single.body()).as(name).isEqualTo(MultipartResponse.bodies(frames(name, "3", OCTET_PARTS)).get(0));
    }
    HttpResponse<byte[]> asStored = frames("jpeg", "2", "image/jpeg");
    assertThat(asStored.statusCode()).isEqualTo(200);
    assertThat(asStored.body()).isEqualTo(MultipartResponse.bodies(frames("jpeg", "2",
        "multipart/related; type=\"image/jpeg\"")).get(0));
    assertThat(frames("native", "1,2", "application/octet-stream").statusCode()).isEqualTo(406);
  }

  @Test
  void aNativeYbrFull422FrameHoldsTwoSamplesAPixel() throws Exception {
    // PS3.3 C.7.6.3.1.2: Y1 Y2 Cb Cr for each pair of pixels, so a frame is rows x columns x 2 bytes here.
    HttpResponse<byte[]> response = frames("ybr422", "1", OCTET_PARTS);
    assertThat(response.statusCode()).isEqualTo(200);
    byte[] pixelData = CodecFixtures.pixelData(file("ybr422"));
    assertThat(MultipartResponse.parts(response)).extracting(MultipartResponse.Part::body).containsExactly(pixelData);
  }

  // ---- compressed frames as stored ----

  @Test
  void compressedFramesComeAsStoredInTheirMediaType() throws Exception {
    Map<String, List<String>> types = Map.of("jpeg", List.of("image/jpeg"), "jpegNoTable", List.of("image/jpeg"),
        "rle", List.of("image/dicom-rle", "image/x-dicom-rle"), "jls", List.of("image/jls", "image/x-jls"));
    Map<String, String> syntaxes = Map.of("jpeg", JPEG_LOSSLESS_SV1, "jpegNoTable", JPEG_LOSSLESS_SV1, "rle", RLE,
        "jls", JPEG_LS);
    for (var entry : types.entrySet()) {
      List<byte[]> items = CodecFixtures.items(file(entry.getKey()), work); // [offset table, frame 1, …]
      assertThat(items).hasSize(FRAMES + 1);
      for (String type : entry.getValue()) {
        HttpResponse<byte[]> response = frames(entry.getKey(), "2,6", "multipart/related; type=\"" + type + "\"");
        assertThat(response.statusCode()).as(entry.getKey() + " as " + type).isEqualTo(200);
        List<MultipartResponse.Part> parts = MultipartResponse.parts(response);
        assertThat(parts).extracting(MultipartResponse.Part::body).as(entry.getKey())
            .containsExactly(items.get(2), items.get(6));
        assertThat(parts.get(0).contentType()).isEqualTo(type + "; transfer-syntax=" + syntaxes.get(entry.getKey()));
      }
      // */* and OHIF's "octet-stream, as stored" get the stored bytes too.
      HttpResponse<byte[]> any = frames(entry.getKey(), "4", "*/*");
      assertThat(MultipartResponse.bodies(any)).containsExactly(items.get(4));
      assertThat(MultipartResponse.parts(any).get(0).contentType()).startsWith(entry.getValue().get(0) + ";");
      HttpResponse<byte[]> star = frames(entry.getKey(), "4", OCTET_PARTS + "; transfer-syntax=*");
      assertThat(MultipartResponse.parts(star)).singleElement().satisfies(part -> {
        assertThat(part.body()).isEqualTo(items.get(4));
        assertThat(part.contentType()).isEqualTo("application/octet-stream; transfer-syntax="
            + syntaxes.get(entry.getKey()));
      });
    }
  }

  // ---- compressed frames decoded ----

  @Test
  void compressedFramesDecodeToTheOriginalPixelsWhateverTheFragmentation() throws Exception {
    assertThat(CodecFixtures.pixelData(CodecFixtures.convert(file("jpegFragmentsNoTable"), work, "dcmdjpeg")))
        .as("dcmtk's own decompression is the original").isEqualTo(pixels);
    for (String name : List.of("rle", "jpeg", "jpegNoTable", "jpegFragments", "jpegFragmentsNoTable", "jls")) {
      HttpResponse<byte[]> response = frames(name, "5,1,7,2", OCTET_PARTS);
      assertThat(response.statusCode()).as(name + ": " + new String(response.body(), StandardCharsets.UTF_8))
          .isEqualTo(200);
      List<MultipartResponse.Part> parts = MultipartResponse.parts(response);
      assertThat(parts).extracting(MultipartResponse.Part::body).as(name + " decoded").containsExactly(
          frame(pixels, 5, FRAME_BYTES), frame(pixels, 1, FRAME_BYTES), frame(pixels, 7, FRAME_BYTES),
          frame(pixels, 2, FRAME_BYTES));
      assertThat(parts.get(0).contentType()).isEqualTo("application/octet-stream; transfer-syntax=" + EXPLICIT_LE);
    }
    byte[] dcmdjpeg = CodecFixtures.pixelData(CodecFixtures.convert(file("baseline8"), work, "dcmdjpeg"));
    HttpResponse<byte[]> lossy = frames("baseline8", "1,7", OCTET_PARTS + "; transfer-syntax=" + EXPLICIT_LE);
    assertThat(MultipartResponse.bodies(lossy)).as("lossy JPEG decoded as dcmdjpeg decodes it")
        .containsExactly(frame(dcmdjpeg, 1, ROWS * COLUMNS), frame(dcmdjpeg, 7, ROWS * COLUMNS));
    assertThat(frame(dcmdjpeg, 1, ROWS * COLUMNS)).as("it is lossy").isNotEqualTo(frame(pixels8, 1, ROWS * COLUMNS));
    byte[] twelveBit = CodecFixtures.pixelData(CodecFixtures.convert(file("jpeg12"), work, "dcmdjpeg"));
    HttpResponse<byte[]> lossy12 = frames("jpeg12", "3,6", OCTET_PARTS);
    assertThat(MultipartResponse.bodies(lossy12)).as("12-bit lossy JPEG decoded as dcmdjpeg decodes it")
        .containsExactly(frame(twelveBit, 3, FRAME_BYTES), frame(twelveBit, 6, FRAME_BYTES));
  }

  // ---- negotiation ----

  @Test
  void qValuesPickBetweenStoredAndDecodedFrames() throws Exception {
    HttpResponse<byte[]> decoded = frames("jpeg", "2",
        "multipart/related; type=\"image/jpeg\"; q=0.5, " + OCTET_PARTS + "; q=0.9");
    assertThat(MultipartResponse.bodies(decoded)).containsExactly(frame(pixels, 2, FRAME_BYTES));
    HttpResponse<byte[]> compressed = frames("jpeg", "2",
        "multipart/related; type=\"image/jpeg\"; q=0.9, " + OCTET_PARTS + "; q=0.5");
    assertThat(MultipartResponse.parts(compressed).get(0).contentType()).startsWith("image/jpeg");
    HttpResponse<byte[]> jls = frames("jls", "2", OCTET_PARTS + ", multipart/related; type=\"image/jls\"; q=0.3");
    assertThat(MultipartResponse.bodies(jls)).containsExactly(frame(pixels, 2, FRAME_BYTES));
    // 12-bit lossy colour JPEG has no codec: the preferred decoded frames cannot be had, the stored ones can.
    HttpResponse<byte[]> colour = frames("colour12", "1", OCTET_PARTS + ", multipart/related; type=\"image/jpeg\"; q=0.3");
    assertThat(MultipartResponse.parts(colour).get(0).contentType())
        .isEqualTo("image/jpeg; transfer-syntax=" + JPEG_EXTENDED);
  }

  @Test
  void unservableMediaTypesAre406NamingWhy() throws Exception {
    assertProblem(frames("colour12", "1", OCTET_PARTS), 406, "12-bit colour", JPEG_EXTENDED);
    assertProblem(frames("jpeg", "1", "multipart/related; type=\"image/jp2\""), 406, "image/jp2", JPEG_LOSSLESS_SV1);
    assertProblem(frames("native", "1", "multipart/related; type=\"image/jpeg\""), 406, "image/jpeg",
        "application/octet-stream");
    assertProblem(frames("jpeg", "1", "multipart/related; type=\"image/jpeg\"; transfer-syntax="
        + CodecFixtures.JPEG_BASELINE), 406, CodecFixtures.JPEG_BASELINE, JPEG_LOSSLESS_SV1);
    assertProblem(frames("native", "1", "image/png"), 406, "image/png", "application/octet-stream");
  }

  // ---- errors ----

  @Test
  void badFrameListsAndUnknownInstancesAreRefused() throws Exception {
    assertProblem(frames("native", "0", null), 400, "start at 1");
    assertProblem(frames("native", "1,x", null), 400, "comma-separated");
    assertProblem(frames("native", "1,,2", null), 400, "comma-separated");
    assertProblem(frames("native", "8", null), 400, "out of range", "7 frames");
    assertProblem(frames("native", "99999999999", null), 400, "out of range");
    assertProblem(frames("jpeg", "2,8", null), 400, "frame 8");
    assertProblem(frames("singleFrame", "2", null), 400, "1 frame");
    assertProblem(frames("report", "1", null), 400, "no Pixel Data");
    Uids known = stored.get("native").uids();
    String base = archive.dicomWeb() + "/studies/" + known.study() + "/series/" + known.series() + "/instances/";
    assertProblem(Http.getBytes(base + TestInstances.newUid() + "/frames/1", null), 404, "no such instance");
    assertProblem(Http.getBytes(base + "1.2.abc/frames/1", null), 400, "SOPInstanceUID");
    assertThat(frames("singleFrame", "1", null).statusCode()).isEqualTo(200);
  }

  // ---- helpers ----

  private HttpResponse<byte[]> frames(String name, String list, String accept) throws Exception {
    Uids u = stored.get(name).uids();
    return Http.getBytes(archive.dicomWeb() + "/studies/" + u.study() + "/series/" + u.series() + "/instances/"
        + u.sop() + "/frames/" + list, accept);
  }

  private static byte[] frame(byte[] pixelData, int number, int length) {
    return Arrays.copyOfRange(pixelData, (number - 1) * length, number * length);
  }

  private static void assertProblem(HttpResponse<byte[]> response, int status, String... mentions) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(body).isEqualTo(status);
    for (String mention : mentions) assertThat(body).contains(mention);
  }
}
