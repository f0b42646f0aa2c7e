package dev.atrium.dicom;

import static dev.atrium.dicom.ExplicitLe.explicit;
import static dev.atrium.dicom.ExplicitLe.longHeader;
import static dev.atrium.dicom.ExplicitLe.part10;
import static dev.atrium.dicom.ExplicitLe.tag;
import static dev.atrium.dicom.ExplicitLe.u32;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Headers that would not fit in memory are refused with a reason, not read until the heap runs out. Both cases
 * came from a black-box test at -Xmx512m: PixelMed, which reads what the scanner refuses, ran out of memory on a
 * 700 MB element out of tag order (and the instance was stored without it), and a sequence of 3,000,000 items
 * made a 138 MB metadata document per request.
 */
class HeaderLimitsTest {
  private static final byte[] CT = "1.2.840.10008.5.1.4.1.1.2\0".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aLargeHeaderThePixelMedFallbackWouldHoldWholeIsRefused() {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    identity(ds);
    explicit(ds, 0x00280103, "US", new byte[2]);
    longHeader(ds, 0x00091010, "OB", DicomHeaderReader.PIXELMED_MAX_HEADER_BYTES + 2); // out of tag order
    ds.writeBytes(new byte[(int) DicomHeaderReader.PIXELMED_MAX_HEADER_BYTES + 2]);
    byte[] file = part10(ds.toByteArray());

    assertThatThrownBy(() -> DicomHeaderReader.read(() -> new ByteArrayInputStream(file), file.length))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("elements out of order").hasMessageContaining("before Pixel Data take 32 MB");
  }

  @Test
  void aHeaderWhoseMetadataDocumentWouldPassTheCeilingIsRefused() {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    identity(ds);
    int items = MetadataLimit.MAX_BYTES / 36 + 1; // each item is about 40 bytes of JSON
    longHeader(ds, 0x00400275, "SQ", 0xFFFFFFFFL);
    for (int i = 0; i < items; i++) {
      tag(ds, ElementReader.ITEM);
      u32(ds, 10);
      explicit(ds, 0x00401001, "SH", "A ".getBytes(StandardCharsets.US_ASCII));
    }
    tag(ds, ElementReader.SEQUENCE_DELIMITER);
    u32(ds, 0);
    byte[] file = part10(ds.toByteArray());

    assertThatThrownBy(() -> DicomHeaderReader.read(() -> new ByteArrayInputStream(file), file.length))
        .isInstanceOf(DicomParseException.class).hasMessageContaining("metadata document (DICOM JSON) of more than");
  }

  private static void identity(ByteArrayOutputStream ds) {
    explicit(ds, 0x00080016, "UI", CT);
    explicit(ds, 0x00080018, "UI", "1.2.3.4\0".getBytes(StandardCharsets.US_ASCII));
    explicit(ds, 0x0020000D, "UI", "1.2.3.5\0".getBytes(StandardCharsets.US_ASCII));
    explicit(ds, 0x0020000E, "UI", "1.2.3.6\0".getBytes(StandardCharsets.US_ASCII));
  }
}
