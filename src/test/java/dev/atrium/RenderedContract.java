package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.Bytes;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.TestImage;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * WADO-RS Retrieve Rendered and Thumbnail (PS3.18 10.4.1.1.3-4) over real HTTP: rendered images
 * decode, have the requested size, and known pixels have the values the DICOM grayscale and
 * colour pipelines give them; every bad request is a 4xx naming what was wrong.
 */
abstract class RenderedContract extends RenderingFixtures {
  private String url(Stored s, String tail) {
    return archive.dicomWeb() + s.path() + tail;
  }

  // ---- grayscale pipeline ----

  @Test
  void aCtIsRenderedThroughItsRescaleAndItsOwnWindow() throws Exception {
    BufferedImage png = image(url(ct, "/rendered"), PNG, PNG, 64, 48);
    assertQuadrants(png, 102, 230, 0, 0);
  }

  @Test
  void theWindowParameterOverridesTheFileWithEachVoiFunction() throws Exception {
    // PS3.3 C.11.2.1.2.1 linear: edges at c - 0.5 -/+ (w - 1)/2; 0 HU -> 127.8.
    assertQuadrants(image(url(ct, "/rendered?window=0,400,linear"), PNG, PNG), 128, 255, 0, 0);
    // C.11.2.1.3.2 linear-exact: 0 HU is the centre, 127.5; 200 HU is the top edge.
    assertQuadrants(image(url(ct, "/rendered?window=0,400,linear-exact"), PNG, PNG), 128, 255, 0, 0);
    // C.11.2.1.3.1 sigmoid: 255 / (1 + e^(-4 (x - c) / w)); 200 HU -> 224.6, -200 HU -> 30.4.
    assertQuadrants(image(url(ct, "/rendered?window=0,400,sigmoid"), PNG, PNG), 128, 225, 30, 0);
    // Width 2: linear puts 0 HU above its top edge (c - 0.5 + 0.5), linear-exact exactly in the middle.
    assertQuadrants(image(url(ct, "/rendered?window=0,2,linear"), PNG, PNG), 255, 255, 0, 0);
    assertQuadrants(image(url(ct, "/rendered?window=0,2,linear-exact"), PNG, PNG), 128, 255, 0, 0);
    // A narrow window: -200 HU now in the middle.
    assertQuadrants(image(url(ct, "/rendered?window=-200,100,linear-exact"), PNG, PNG), 255, 255, 128, 0);
  }

  @Test
  void jpegIsTheDefaultAndIsCloseToTheExactValues() throws Exception {
    BufferedImage jpeg = image(url(ct, "/rendered"), null, JPEG, 64, 48);
    int[] expected = {102, 230, 0, 0};
    int[][] centers = {{16, 12}, {48, 12}, {16, 36}, {48, 36}};
    for (int q = 0; q < 4; q++) {
      assertThat(gray(jpeg, centers[q][0], centers[q][1])).as("quadrant " + q).isCloseTo(expected[q],
          offset(6));
    }
    image(url(ct, "/rendered?quality=5"), JPEG, JPEG, 64, 48);
  }

  @Test
  void monochrome1IsInvertedAfterTheWindow() throws Exception {
    // No window in the file: the frame's own range (0..255) maps linearly, then white is the minimum.
    assertQuadrants(image(url(mono1, "/rendered"), PNG, PNG), 255, 155, 55, 0);
  }

  @Test
  void rgbKeepsItsColours() throws Exception {
    BufferedImage png = image(url(rgb, "/rendered"), PNG, PNG);
    assertThat(rgbAt(png, 8, 8)).containsExactly(255, 0, 0);
    assertThat(rgbAt(png, 24, 8)).containsExactly(0, 255, 0);
    assertThat(rgbAt(png, 8, 24)).containsExactly(0, 0, 255);
    assertThat(rgbAt(png, 24, 24)).containsExactly(255, 255, 255);
  }

  @Test
  void eachFrameOfAMultiFrameInstanceRendersOnItsOwn() throws Exception {
    String window = "?window=2000,4000,linear-exact";
    int[] expected = {64, 128, 191}; // stored 1000, 2000, 3000 through the window
    for (int frame = 1; frame <= 3; frame++) {
      BufferedImage png = image(url(multiFrame, "/frames/" + frame + "/rendered" + window), PNG, PNG, 20, 10);
      assertThat(gray(png, 0, 0)).as("frame " + frame).isEqualTo(expected[frame - 1]);
      assertThat(gray(png, 19, 9)).as("frame " + frame).isEqualTo(expected[frame - 1]);
    }
    assertThat(gray(image(url(multiFrame, "/rendered" + window), PNG, PNG), 5, 5)).as("the instance: frame 1")
        .isEqualTo(64);
  }

  // ---- compressed pixel data ----

  @Test
  void losslessJpegRendersExactlyTheNativePixels() throws Exception {
    assertSamePixels(image(url(ctLossless, "/rendered"), PNG, PNG, 64, 48), image(url(ct, "/rendered"), PNG, PNG));
  }

  @Test
  void bigEndianAndDeflatedDataSetsRenderAsTheLittleEndianOne() throws Exception {
    // Frames are found and read by the same locator as /frames, which reads every native syntax.
    for (String option : new String[] {"+tb", "+td"}) {
      Uids uids = TestInstances.fresh();
      Stored converted = new Stored(uids, CodecFixtures.convert(ct(uids), work, "dcmconv", option));
      store(converted);
      assertSamePixels(image(url(converted, "/rendered"), PNG, PNG, 64, 48), image(url(ct, "/rendered"), PNG, PNG));
    }
  }

  private static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
    assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
    for (int y = 0; y < actual.getHeight(); y++) {
      for (int x = 0; x < actual.getWidth(); x++) {
        assertThat(gray(actual, x, y)).as("(" + x + "," + y + ")").isEqualTo(gray(expected, x, y));
      }
    }
  }

  @Test
  void baselineJpegRleAndYbrColourDecode() throws Exception {
    Uids rle = TestInstances.fresh();
    Uids jpeg = TestInstances.fresh();
    Uids lossy = TestInstances.fresh();
    Stored rgbRle = new Stored(rle, CodecFixtures.convert(rgb(rle), work, "dcmcrle"));
    // dcmcjpeg +eb stores RGB as YBR_FULL_422 (PS3.5 8.2.1), which the codec turns back into RGB.
    Stored rgbJpeg = new Stored(jpeg, CodecFixtures.convert(rgb(jpeg), work, "dcmcjpeg", "+eb", "+un"));
    Stored monoJpeg = new Stored(lossy, CodecFixtures.convert(TestImage.grayscale(lossy, 64, 48, 8, 8, false,
        "MONOCHROME1").write(work, (f, x, y, s) -> MONO1_STORED[quadrant(x, y, 64, 48)]), work, "dcmcjpeg", "+eb", "+un"));
    store(rgbRle, rgbJpeg, monoJpeg);

    BufferedImage png = image(url(rgbRle, "/rendered"), PNG, PNG);
    assertThat(rgbAt(png, 8, 8)).containsExactly(255, 0, 0);
    assertThat(rgbAt(png, 24, 24)).containsExactly(255, 255, 255);
    BufferedImage fromJpeg = image(url(rgbJpeg, "/rendered"), PNG, PNG);
    int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    int[][] at = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
    for (int q = 0; q < 4; q++) {
      int[] got = rgbAt(fromJpeg, at[q][0], at[q][1]);
      for (int c = 0; c < 3; c++) {
        assertThat(got[c]).as("quadrant " + q + " channel " + c).isCloseTo(expected[q][c],
            offset(8));
      }
    }
    BufferedImage mono = image(url(monoJpeg, "/rendered"), PNG, PNG);
    int[] inverted = {255, 155, 55, 0};
    int[][] monoAt = {{16, 12}, {48, 12}, {16, 36}, {48, 36}};
    for (int q = 0; q < 4; q++) {
      assertThat(gray(mono, monoAt[q][0], monoAt[q][1])).as("quadrant " + q).isCloseTo(inverted[q],
          offset(6));
    }
  }

  @Test
  void jpeg2000AndJpegLsRenderAsTheUncompressedOriginal() throws Exception {
    Uids j2k = TestInstances.fresh();
    Uids jls = TestInstances.fresh();
    Uids plain = TestInstances.fresh();
    Stored compressed = new Stored(j2k, TestInstances.copyWith(Corpus.testFile("MR_small_jp2klossless.dcm"), work, j2k));
    Stored jpegLs = new Stored(jls, CodecFixtures.withUids(Corpus.testFile("MR_small_jpeg_ls_lossless.dcm"), work, jls));
    Stored original = new Stored(plain, TestInstances.copyWith(Corpus.testFile("MR_small.dcm"), work, plain));
    store(compressed, jpegLs, original);
    BufferedImage expected = image(url(original, "/rendered"), PNG, PNG);
    assertSamePixels(image(url(compressed, "/rendered"), PNG, PNG, 64, 64), expected);
    assertSamePixels(image(url(jpegLs, "/rendered"), PNG, PNG, 64, 64), expected);
  }

  @Test
  void uncompressedYbrFull422IsConvertedToRgb() throws Exception {
    // pydicom's colour bars, once as uncompressed YBR_FULL_422 and once as RGB RLE.
    Uids ybr = TestInstances.fresh();
    Uids rgbUids = TestInstances.fresh();
    Stored subsampled = new Stored(ybr, TestInstances.copyWith(Corpus.testFile("SC_ybr_full_422_uncompressed.dcm"),
        work, ybr));
    Stored reference = new Stored(rgbUids, TestInstances.copyWith(Corpus.testFile("SC_rgb_rle.dcm"), work, rgbUids));
    store(subsampled, reference);
    BufferedImage a = image(url(subsampled, "/rendered"), PNG, PNG);
    BufferedImage b = image(url(reference, "/rendered"), PNG, PNG);
    long difference = 0;
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        int[] p = rgbAt(a, x, y);
        int[] q = rgbAt(b, x, y);
        for (int c = 0; c < 3; c++) difference += Math.abs(p[c] - q[c]);
      }
    }
    assertThat(difference / (100.0 * 100 * 3)).as("mean difference per sample").isLessThan(4);
  }

  @Test
  void aFrameIsDecodedWithoutTheOtherFrames() throws Exception {
    Uids uids = TestInstances.fresh();
    Path rle = CodecFixtures.convert(multiFrame(work, uids), work, "dcmcrle");
    // Break frame 1's RLE header (its segment count): frames 2 and 3 must still render.
    byte[] bytes = Files.readAllBytes(rle);
    int pixelData = Bytes.indexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00});
    int firstFragment = pixelData + 12 + 8 + (bytes[pixelData + 16] & 0xFF) + ((bytes[pixelData + 17] & 0xFF) << 8);
    bytes[firstFragment + 8] = 99;
    Files.write(rle, bytes);
    Stored broken = new Stored(uids, rle);
    store(broken);
    assertThat(gray(image(url(broken, "/frames/2/rendered?window=2000,4000,linear-exact"), PNG, PNG), 3, 3))
        .isEqualTo(128);
    assertThat(gray(image(url(broken, "/frames/3/rendered?window=2000,4000,linear-exact"), PNG, PNG), 3, 3))
        .isEqualTo(191);
    assertThat(expectStatus(url(broken, "/frames/1/rendered"), PNG, 406).body()).contains("RLE");
  }

  @Test
  void framesSpreadOverManyFragmentsAreFoundWithAndWithoutAnOffsetTable() throws Exception {
    // 12-bit noise-like frames compress poorly, so 4 KiB fragments split each frame into several.
    Uids plain = TestInstances.fresh();
    Uids withTable = TestInstances.fresh();
    Uids withoutTable = TestInstances.fresh();
    Stored original = new Stored(plain, fragmented(plain));
    Stored table = new Stored(withTable, CodecFixtures.convert(fragmented(withTable), work, "dcmcjpeg", "+fs", "4"));
    Stored noTable = new Stored(withoutTable, CodecFixtures.convert(fragmented(withoutTable), work, "dcmcjpeg", "+fs",
        "4", "-ot"));
    store(original, table, noTable);
    for (int frame = 1; frame <= 3; frame++) {
      String tail = "/frames/" + frame + "/rendered?window=2048,4096,linear-exact";
      BufferedImage expected = image(url(original, tail), PNG, PNG, 96, 96);
      assertSamePixels(image(url(table, tail), PNG, PNG), expected);
      assertSamePixels(image(url(noTable, tail), PNG, PNG), expected);
    }
  }

  private Path fragmented(Uids uids) throws Exception {
    return TestImage.grayscale(uids, 96, 96, 16, 12, false, "MONOCHROME2").frames(3)
        .write(work, (f, x, y, s) -> (x * 2654435 + y * 40503 + f * 977) % 4096);
  }

  // ---- transforms recorded in the instance ----

  @Test
  void enhancedMultiFrameUsesEachFramesFunctionalGroups() throws Exception {
    Uids uids = TestInstances.fresh();
    TestImage image = TestImage.grayscale(uids, 8, 8, 16, 16, false, "MONOCHROME2").frames(2)
        .item(TagFromName.SharedFunctionalGroupsSequence, TestImage.itemOf(TagFromName.FrameVOILUTSequence,
            TestImage.itemOf(TagFromName.WindowCenter, "550", TagFromName.WindowWidth, "1100",
                TagFromName.VOILUTFunction, "LINEAR_EXACT")));
    for (String intercept : new String[] {"0", "1000"}) {
      image.item(TagFromName.PerFrameFunctionalGroupsSequence, TestImage.itemOf(
          TagFromName.PixelValueTransformationSequence, TestImage.itemOf(TagFromName.RescaleIntercept, intercept,
              TagFromName.RescaleSlope, "1")));
    }
    Stored enhanced = new Stored(uids, image.write(work, (f, x, y, s) -> 100));
    store(enhanced);
    // Frame 1: 100 through (550, 1100) -> 23.2; frame 2: 1100, the window's top -> 255.
    assertThat(gray(image(url(enhanced, "/frames/1/rendered"), PNG, PNG), 4, 4)).isEqualTo(23);
    assertThat(gray(image(url(enhanced, "/frames/2/rendered"), PNG, PNG), 4, 4)).isEqualTo(255);
  }

  @Test
  void aVoiLutSequenceAndPaletteColourTablesAreApplied() throws Exception {
    Uids lutUids = TestInstances.fresh();
    int[] descending = new int[4096];
    for (int i = 0; i < descending.length; i++) descending[i] = 4095 - i;
    Stored withLut = new Stored(lutUids, TestImage.grayscale(lutUids, 8, 8, 16, 12, false, "MONOCHROME2")
        .item(TagFromName.VOILUTSequence, TestImage.lutItem(0, 12, descending))
        .write(work, (f, x, y, s) -> x < 4 ? 1000 : 4095));
    Uids paletteUids = TestInstances.fresh();
    int[] red = new int[256];
    int[] green = new int[256];
    int[] blue = new int[256];
    for (int i = 0; i < 256; i++) {
      red[i] = i * 256;
      blue[i] = 65535 - i * 256;
    }
    Stored palette = new Stored(paletteUids, TestImage.grayscale(paletteUids, 8, 8, 8, 8, false, "PALETTE COLOR")
        .words(TagFromName.RedPaletteColorLookupTableDescriptor, false, 256, 0, 16)
        .words(TagFromName.GreenPaletteColorLookupTableDescriptor, false, 256, 0, 16)
        .words(TagFromName.BluePaletteColorLookupTableDescriptor, false, 256, 0, 16)
        .words(TagFromName.RedPaletteColorLookupTableData, true, red)
        .words(TagFromName.GreenPaletteColorLookupTableData, true, green)
        .words(TagFromName.BluePaletteColorLookupTableData, true, blue)
        .write(work, (f, x, y, s) -> 10));
    store(withLut, palette);
    BufferedImage lut = image(url(withLut, "/rendered"), PNG, PNG);
    assertThat(gray(lut, 1, 1)).as("1000 -> 3095 of 4095").isEqualTo(193);
    assertThat(gray(lut, 6, 6)).as("4095 -> 0").isEqualTo(0);
    assertThat(gray(image(url(withLut, "/rendered?window=2048,4096,linear-exact"), PNG, PNG), 6, 6))
        .as("a window parameter replaces the VOI LUT").isEqualTo(255);
    assertThat(rgbAt(image(url(palette, "/rendered"), PNG, PNG), 3, 3)).containsExactly(10, 0, 245);
  }

  // ---- size ----

  @Test
  void theViewportScalesToFitKeepingTheAspectRatio() throws Exception {
    BufferedImage small = image(url(ct, "/rendered?viewport=32,32"), PNG, PNG, 32, 24);
    assertQuadrants(small, 102, 230, 0, 0);
    BufferedImage large = image(url(ct, "/rendered?viewport=128,200"), PNG, PNG, 128, 96);
    assertQuadrants(large, 102, 230, 0, 0);
  }

  @Test
  void theViewportSourceRegionCutsAndFlips() throws Exception {
    BufferedImage topRight = image(url(ct, "/rendered?viewport=16,16,32,0,32,24"), PNG, PNG, 16, 12);
    assertThat(gray(topRight, 0, 0)).isEqualTo(230);
    assertThat(gray(topRight, 15, 11)).isEqualTo(230);
    BufferedImage mirrored = image(url(ct, "/rendered?viewport=64,48,0,0,-64,48"), PNG, PNG);
    assertQuadrants(mirrored, 230, 102, 0, 0);
    BufferedImage upsideDown = image(url(ct, "/rendered?viewport=64,48,0,0,64,-48"), PNG, PNG);
    assertQuadrants(upsideDown, 0, 0, 102, 230);
  }

  @Test
  void thumbnailsOfInstancesFramesSeriesAndStudiesFitASmallSquare() throws Exception {
    Uids uids = TestInstances.fresh();
    Stored large = new Stored(uids, TestImage.grayscale(uids, 300, 200, 8, 8, false, "MONOCHROME2")
        .write(work, (f, x, y, s) -> x < 150 ? 50 : 250));
    store(large);
    String study = archive.dicomWeb() + "/studies/" + uids.study();
    for (String url : new String[] {url(large, "/thumbnail"), url(large, "/frames/1/thumbnail"),
        study + "/series/" + uids.series() + "/thumbnail", study + "/thumbnail"}) {
      BufferedImage thumbnail = image(url, PNG, PNG, 128, 85);
      assertThat(gray(thumbnail, 10, 40)).as(url).isEqualTo(0);
      assertThat(gray(thumbnail, 120, 40)).as(url).isEqualTo(255);
    }
    image(url(ct, "/thumbnail"), JPEG, JPEG, 64, 48); // a small image is not enlarged
    image(url(ct, "/thumbnail?viewport=32,32"), PNG, PNG, 32, 24);
    image(url(multiFrame, "/frames/2/thumbnail"), PNG, PNG, 20, 10);
  }

  // ---- media type ----

  @Test
  void acceptIsNegotiatedWithQValues() throws Exception {
    image(url(ct, "/rendered"), "image/jpeg;q=0.4, image/png;q=0.5", PNG);
    image(url(ct, "/rendered"), "image/png;q=0.1, image/jpeg", JPEG);
    image(url(ct, "/rendered"), "image/*", JPEG);
    image(url(ct, "/rendered"), "*/*, image/jpeg;q=0", PNG);
    image(url(ct, "/rendered"), "application/json;q=0.9, image/png;q=0.2", PNG);
    image(url(ct, "/rendered?accept=image/png"), JPEG, PNG);
    expectStatus(url(ct, "/rendered"), "application/dicom", 406);
    expectStatus(url(ct, "/rendered"), "image/gif", 406);
    expectStatus(url(ct, "/rendered"), "image/png;q=0, image/jpeg;q=0", 406);
    expectStatus(url(ct, "/thumbnail"), "text/html", 406);
  }

  // ---- errors ----

  @Test
  void badRenderingParametersAre400NamingTheParameter() throws Exception {
    for (String query : new String[] {"window=40", "window=40,0,linear", "window=40,0.5", "window=a,400",
        "window=40,400,cubic", "window=40,-1,sigmoid", "window=1,2,3,4"}) {
      assertThat(expectStatus(url(ct, "/rendered?" + query), PNG, 400).body()).as(query).contains("window");
    }
    for (String query : new String[] {"viewport=0,10", "viewport=10", "viewport=10,10,0,0,1000,10",
        "viewport=x,10", "viewport=10,10,-1,0,5,5", "viewport=10,10,0,0,0,5", "viewport=65535,65535",
        "viewport=10,10,60,0,10,10"}) {
      assertThat(expectStatus(url(ct, "/rendered?" + query), PNG, 400).body()).as(query).contains("viewport");
    }
    for (String query : new String[] {"quality=0", "quality=101", "quality=high"}) {
      assertThat(expectStatus(url(ct, "/rendered?" + query), JPEG, 400).body()).as(query).contains("quality");
    }
    assertThat(expectStatus(url(ct, "/rendered?annotation=patient"), PNG, 400).body()).contains("annotation");
    assertThat(expectStatus(url(ct, "/rendered?window=40,400&window=40,400"), PNG, 400).body())
        .contains("more than once");
  }

  @Test
  void framesOutsideTheInstanceAre400() throws Exception {
    assertThat(expectStatus(url(multiFrame, "/frames/4/rendered"), PNG, 400).body()).contains("frame 4")
        .contains("3 frame");
    expectStatus(url(multiFrame, "/frames/0/rendered"), PNG, 400);
    expectStatus(url(multiFrame, "/frames/x/rendered"), PNG, 400);
    assertThat(expectStatus(url(multiFrame, "/frames/1,2/rendered"), PNG, 400).body()).contains("one frame");
    expectStatus(url(ct, "/frames/2/thumbnail"), PNG, 400);
  }

  @Test
  void unknownResourcesAre404AndInvalidUids400() throws Exception {
    Uids unknown = TestInstances.fresh();
    String base = archive.dicomWeb() + "/studies/" + ct.uids().study() + "/series/" + ct.uids().series();
    expectStatus(base + "/instances/" + unknown.sop() + "/rendered", PNG, 404);
    expectStatus(base + "/instances/" + unknown.sop() + "/frames/1/rendered", PNG, 404);
    expectStatus(archive.dicomWeb() + "/studies/" + unknown.study() + "/thumbnail", PNG, 404);
    expectStatus(archive.dicomWeb() + "/studies/" + ct.uids().study() + "/series/" + unknown.series() + "/thumbnail",
        PNG, 404);
    assertThat(expectStatus(base + "/instances/1.2.abc/rendered", PNG, 400).body()).contains("SOPInstanceUID");
    assertThat(expectStatus(archive.dicomWeb() + "/studies/1..2/thumbnail", PNG, 400).body())
        .contains("StudyInstanceUID");
  }

  @Test
  void instancesThatCannotBeRenderedAre406WithTheReason() throws Exception {
    Uids sr = TestInstances.fresh();
    Uids twelveBit = TestInstances.fresh();
    Stored report = new Stored(sr, TestInstances.copyWith(Corpus.testFile("test-SR.dcm"), work, sr));
    Stored jpeg12 = new Stored(twelveBit, CodecFixtures.twelveBitColourJpeg(work, twelveBit));
    store(report, jpeg12);
    assertThat(expectStatus(url(report, "/rendered"), PNG, 406).body()).contains("not an image");
    assertThat(expectStatus(url(jpeg12, "/rendered"), PNG, 406).body()).contains("12-bit colour")
        .contains("1.2.840.10008.1.2.4.51");
    assertThat(expectStatus(archive.dicomWeb() + "/studies/" + sr.study() + "/thumbnail", PNG, 406).body())
        .contains("no thumbnail");
  }

  @Test
  void anInstanceIsRenderedOnlyInItsPartition() throws Exception {
    Uids uids = TestInstances.fresh();
    Stored elsewhere = new Stored(uids, ct(uids));
    storeIn(archive.dicomWeb() + "/partitions/renderp", elsewhere);
    assertQuadrants(image(archive.dicomWeb() + "/partitions/renderp" + elsewhere.path() + "/rendered", PNG, PNG),
        102, 230, 0, 0);
    expectStatus(url(elsewhere, "/rendered"), PNG, 404);
    expectStatus(archive.dicomWeb() + "/studies/" + uids.study() + "/thumbnail", PNG, 404);
    expectStatus(archive.dicomWeb() + "/partitions/other" + elsewhere.path() + "/rendered", PNG, 400); // no such partition
  }
}
