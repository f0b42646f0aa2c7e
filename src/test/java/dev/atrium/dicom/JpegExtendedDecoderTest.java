package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * Our decoder of 12-bit lossy JPEG against dcmtk's dcmdjpeg (libjpeg 6b in 12-bit mode): pydicom's JPEG Extended
 * file and dcmcjpeg +ee encodings at several qualities decode to the very samples dcmdjpeg gives. Restart intervals,
 * which dcmcjpeg does not write, are checked at 8 bits against the JDK's reader (the same libjpeg).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpegExtendedDecoderTest {
  private Path work;
  private Path twelveBit;

  @BeforeAll
  void makeSource() throws Exception {
    work = Files.createTempDirectory("atrium-jpeg12");
    twelveBit = CodecFixtures.multiFrame(work, TestInstances.fresh(), 3, 67, 45, 12);
  }

  @AfterAll
  void cleanUp() throws IOException {
    TempFiles.delete(work);
  }

  /** JPGExtended.dcm, and JPEG-lossy.dcm whose scan header says Se 0 where sequential scans have 63 (libjpeg warns). */
  @ParameterizedTest
  @ValueSource(strings = {"JPGExtended.dcm", "JPEG-lossy.dcm"})
  void pydicomsJpegExtendedFilesDecodeAsDcmdjpegDecodesThem(String name) throws Exception {
    Path file = Corpus.testFile(name);
    byte[] ours = decodeAll(file);
    assertThat(ours).isEqualTo(CodecFixtures.pixelData(CodecFixtures.convert(file, work, "dcmdjpeg")));
  }

  @Test
  void dcmcjpegEncodingsDecodeAsDcmdjpegDecodesThem() throws Exception {
    for (List<String> options : List.of(List.of("+ee"), List.of("+ee", "+q", "40"), List.of("+ee", "+q", "100"),
        List.of("+ee", "+sm", "30"), List.of("+ee", "-ho"))) {
      Path encoded = CodecFixtures.convert(twelveBit, work, "dcmcjpeg", options.toArray(String[]::new));
      assertThat(CodecFixtures.transferSyntax(encoded)).isEqualTo(TransferSyntax.JPEG_EXTENDED);
      byte[] ours = decodeAll(encoded);
      byte[] theirs = CodecFixtures.pixelData(CodecFixtures.convert(encoded, work, "dcmdjpeg"));
      assertThat(ours).as(String.join(" ", options)).isEqualTo(theirs);
    }
  }

  @Test
  void signedTwelveBitSamplesDecodeAsDcmdjpegDecodesThem() throws Exception {
    // Samples from -2048 to 2047, sign-extended in 16 bits as DICOM stores them (PS3.5 8.1.1)
    com.pixelmed.dicom.AttributeList list = new com.pixelmed.dicom.AttributeList();
    list.read(twelveBit.toFile());
    short[] samples = new short[3 * 67 * 45];
    for (int i = 0; i < samples.length; i++) samples[i] = (short) ((i * 41) % 4096 - 2048);
    list.get(com.pixelmed.dicom.TagFromName.PixelData).setValues(samples);
    list.replaceWithValueIfPresent(com.pixelmed.dicom.TagFromName.PixelRepresentation, "1");
    Path signed = Files.createTempFile(work, "signed", ".dcm");
    list.write(signed.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
    Path encoded = CodecFixtures.convert(signed, work, "dcmcjpeg", "+ee");
    assertThat(decodeAll(encoded))
        .isEqualTo(CodecFixtures.pixelData(CodecFixtures.convert(encoded, work, "dcmdjpeg")));
  }

  @Test
  void restartIntervalsAreFollowed() throws Exception {
    BufferedImage image = new BufferedImage(61, 37, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 37; y++) {
      for (int x = 0; x < 61; x++) image.getRaster().setSample(x, y, 0, (x * 7 + y * y) & 0xFF);
    }
    for (int interval : new int[] {0, 1, 3, 7}) {
      byte[] jpeg = withRestartInterval(image, interval);
      ImagePixels pixels = new ImagePixels(37, 61, 1, "MONOCHROME2", 8, 8, 7, 0, 0, 1);
      byte[] ours = JpegExtendedDecoder.decode(jpeg, pixels);
      BufferedImage jdk = ImageIO.read(new ByteArrayInputStream(jpeg));
      byte[] theirs = new byte[61 * 37];
      jdk.getRaster().getDataElements(0, 0, 61, 37, theirs);
      assertThat(ours).as("restart interval " + interval).isEqualTo(theirs);
    }
  }

  @Test
  void damagedFramesAreRefusedWithAReason() throws Exception {
    Path encoded = CodecFixtures.convert(twelveBit, work, "dcmcjpeg", "+ee");
    byte[] frame = CodecFixtures.items(encoded, work).get(1);
    ImagePixels pixels = StoredFrames.open(() -> Files.newInputStream(encoded)).orElseThrow().pixels();
    assertThat(JpegExtendedDecoder.decode(frame, pixels)).hasSize(67 * 45 * 2);
    for (int length = 0; length < frame.length; length += 13) decodesOrRefuses(Arrays.copyOf(frame, length), pixels);
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 300; round++) {
      byte[] noisy = frame.clone();
      for (int i = 0; i < 1 + round % 8; i++) {
        int at = round % 3 == 0 ? random.nextInt(Math.min(200, frame.length)) : random.nextInt(frame.length);
        noisy[at] = (byte) random.nextInt(256);
      }
      decodesOrRefuses(noisy, pixels);
    }
    ImagePixels colour = new ImagePixels(67, 45, 3, "YBR_FULL", 16, 12, 11, 0, 0, 1);
    assertThatThrownBy(() -> JpegExtendedDecoder.decode(frame, colour))
        .isInstanceOf(UnsupportedTranscodingException.class).hasMessageContaining("3 components");
  }

  private static void decodesOrRefuses(byte[] frame, ImagePixels pixels) {
    try {
      assertThat(JpegExtendedDecoder.decode(frame, pixels)).hasSize(pixels.rows() * pixels.columns() * 2);
    } catch (UnsupportedTranscodingException refused) {
      assertThat(refused).hasMessageContaining("JPEG");
    }
  }

  /** An 8-bit JPEG with a DRI segment, by the JDK's writer (its native metadata carries the interval). */
  private static byte[] withRestartInterval(BufferedImage image, int interval) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
    String format = "javax_imageio_jpeg_image_1.0";
    Element root = (Element) metadata.getAsTree(format);
    if (interval > 0) {
      Element dri = new javax.imageio.metadata.IIOMetadataNode("dri");
      dri.setAttribute("interval", String.valueOf(interval));
      Element markers = (Element) root.getElementsByTagName("markerSequence").item(0);
      markers.insertBefore(dri, markers.getFirstChild());
    }
    metadata.setFromTree(format, root);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, metadata), null);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static byte[] decodeAll(Path file) throws Exception {
    StoredFrames frames = StoredFrames.open(() -> Files.newInputStream(file)).orElseThrow();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int n = 1; n <= frames.numberOfFrames(); n++) all.write(frames.decode(n));
    return all.toByteArray();
  }
}
