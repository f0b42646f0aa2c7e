package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our JPEG-LS decoder against CharLS, the codec inside dcmtk: files encoded by dcmcjpls in each mode it has (lossless,
 * near-lossless, the three interleave modes, preset parameters, both paddings) decode to the Pixel Data that
 * dcmdjpls gives, and a lossless one to the original's. pydicom's JPEG-LS file decodes to its uncompressed twin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpegLsDecoderTest {
  private Path work;
  private Map<String, Path> sources;

  @BeforeAll
  void makeSources() throws Exception {
    work = Files.createTempDirectory("atrium-jpegls");
    sources = Map.of(
        "CT 16-bit signed", Corpus.testFile("CT_small.dcm"),
        "MR 16-bit signed", Corpus.testFile("MR_small.dcm"),
        "12-bit, 3 frames", CodecFixtures.multiFrame(work, TestInstances.fresh(), 3, 67, 45, 12),
        "8-bit, 2 frames", CodecFixtures.multiFrame(work, TestInstances.fresh(), 2, 40, 33, 8),
        "RGB 100x100", CodecFixtures.convert(Corpus.testFile("SC_rgb_rle.dcm"), work, "dcmdrle"),
        "RGB 3x3", Corpus.testFile("SC_rgb_small_odd.dcm"));
  }

  @AfterAll
  void cleanUp() throws IOException {
    TempFiles.delete(work);
  }

  /**
   * Near-lossless only where dcmcjpls makes it: it refuses signed samples, and for the 3x3 RGB image it writes a
   * stream that dcmdjpls itself cannot read (FF00 where the SOF55 marker belongs).
   */
  static Stream<Arguments> encodings() {
    List<String> lossless = List.of("+el");
    List<String> near1 = List.of("+en", "+md", "1");
    List<String> near3 = List.of("+en", "+md", "3");
    List<String> preset = List.of("+el", "+t1", "5", "+t2", "11", "+t3", "40", "+rs", "32");
    List<String> zeroPadded = List.of("+el", "+pz");
    List<List<String>> colorLossless = List.of(List.of("+el", "+il"), List.of("+el", "+is"), List.of("+el", "+in"));
    List<List<String>> colorNear = List.of(List.of("+en", "+md", "2", "+is"), List.of("+en", "+md", "2", "+il"),
        List.of("+en", "+md", "1", "+in"));
    return Stream.of(
        cases("CT 16-bit signed", List.of(lossless, preset, zeroPadded)),
        cases("MR 16-bit signed", List.of(lossless, preset)),
        cases("12-bit, 3 frames", List.of(lossless, near1, near3, preset, zeroPadded)),
        cases("8-bit, 2 frames", List.of(lossless, near1, near3, preset)),
        cases("RGB 100x100", colorLossless), cases("RGB 100x100", colorNear),
        cases("RGB 3x3", colorLossless)).flatMap(s -> s);
  }

  private static Stream<Arguments> cases(String source, List<List<String>> modes) {
    return modes.stream().map(mode -> Arguments.of(source, mode));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodings")
  void decodesAsCharLsDoes(String source, List<String> options) throws Exception {
    Path original = sources.get(source);
    Path encoded = CodecFixtures.convert(original, work, "dcmcjpls", options.toArray(String[]::new));
    boolean lossless = options.contains("+el");
    assertThat(CodecFixtures.transferSyntax(encoded))
        .isEqualTo(lossless ? TransferSyntax.JPEG_LS_LOSSLESS : TransferSyntax.JPEG_LS_NEAR_LOSSLESS);
    byte[] ours = decodeAll(encoded);
    assertThat(ours).as("as dcmdjpls decodes it").isEqualTo(pixelData(CodecFixtures.convert(encoded, work,
        "dcmdjpls"), ours.length));
    if (lossless) assertThat(ours).as("the original").isEqualTo(pixelData(original, ours.length));
  }

  @Test
  void pydicomsJpegLsFileDecodesToItsUncompressedTwin() throws Exception {
    byte[] ours = decodeAll(Corpus.testFile("MR_small_jpeg_ls_lossless.dcm"));
    assertThat(ours).isEqualTo(pixelData(Corpus.testFile("MR_small.dcm"), ours.length));
  }

  @Test
  void aDamagedFrameIsRefusedWithAReason() throws Exception {
    Path encoded = CodecFixtures.convert(sources.get("CT 16-bit signed"), work, "dcmcjpls");
    byte[] frame = CodecFixtures.items(encoded, work).get(1);
    ImagePixels pixels = StoredFrames.open(() -> Files.newInputStream(encoded)).orElseThrow().pixels();
    assertThat(JpegLsDecoder.decode(frame, pixels)).hasSize(128 * 128 * 2);

    byte[] cut = Arrays.copyOf(frame, frame.length / 2);
    assertThatThrownBy(() -> JpegLsDecoder.decode(cut, pixels)).isInstanceOf(UnsupportedTranscodingException.class)
        .hasMessageContaining("JPEG-LS");
    byte[] headerOnly = Arrays.copyOf(frame, 20);
    assertThatThrownBy(() -> JpegLsDecoder.decode(headerOnly, pixels))
        .isInstanceOf(UnsupportedTranscodingException.class).hasMessageContaining("JPEG-LS");
    // Cut anywhere, or garbage anywhere (marker segments included): a refusal or wrong samples, never a hang or an
    // exception of another kind.
    for (int length = 0; length < frame.length; length += 11) {
      decodesOrRefuses(Arrays.copyOf(frame, length), pixels);
    }
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 300; round++) {
      byte[] noisy = frame.clone();
      for (int i = 0; i < 1 + round % 8; i++) {
        int at = round % 3 == 0 ? random.nextInt(40) : random.nextInt(frame.length);
        noisy[at] = (byte) random.nextInt(256);
      }
      decodesOrRefuses(noisy, pixels);
    }
  }

  private static void decodesOrRefuses(byte[] frame, ImagePixels pixels) {
    try {
      assertThat(JpegLsDecoder.decode(frame, pixels)).hasSize(pixels.rows() * pixels.columns() * 2);
    } catch (UnsupportedTranscodingException refused) {
      assertThat(refused).hasMessageContaining("JPEG-LS");
    }
  }

  @Test
  void theFrameMustMatchTheHeader() throws Exception {
    Path encoded = CodecFixtures.convert(sources.get("8-bit, 2 frames"), work, "dcmcjpls");
    byte[] frame = CodecFixtures.items(encoded, work).get(1);
    ImagePixels pixels = StoredFrames.open(() -> Files.newInputStream(encoded)).orElseThrow().pixels();
    ImagePixels taller = new ImagePixels(pixels.rows() + 1, pixels.columns(), pixels.samplesPerPixel(),
        pixels.photometricInterpretation(), pixels.bitsAllocated(), pixels.bitsStored(), pixels.highBit(),
        pixels.pixelRepresentation(), pixels.planarConfiguration(), pixels.numberOfFrames());
    assertThatThrownBy(() -> JpegLsDecoder.decode(frame, taller)).isInstanceOf(UnsupportedTranscodingException.class)
        .hasMessageContaining("33x40 pixels of 1 samples, but the header says 33x41");
  }

  /** Every frame, decoded and laid end to end, as Pixel Data would hold them. */
  private static byte[] decodeAll(Path file) throws Exception {
    StoredFrames frames = StoredFrames.open(() -> Files.newInputStream(file)).orElseThrow();
    assertThat(frames.transferSyntax().uid()).startsWith("1.2.840.10008.1.2.4.8");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int n = 1; n <= frames.numberOfFrames(); n++) all.write(frames.decode(n));
    return all.toByteArray();
  }

  /** Native Pixel Data without the pad byte an odd length gets (PS3.5 8.1.1). */
  private static byte[] pixelData(Path file, int length) throws Exception {
    byte[] value = CodecFixtures.pixelData(file);
    assertThat(value.length - length).isBetween(0, 1);
    return Arrays.copyOf(value, length);
  }
}
