package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.atrium.dicom.ExplicitLe.explicit;
import static dev.atrium.dicom.ExplicitLe.part10;
import static dev.atrium.dicom.ExplicitLe.tag;
import static dev.atrium.dicom.ExplicitLe.u16;
import static dev.atrium.dicom.ExplicitLe.u32;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DicomStructureTest {
  /**
   * PS3.5 6.2.2: a sequence sent as UN with an undefined length keeps implicit VR little endian
   * inside, even in an explicit VR data set. Walking its items as explicit VR misreads them.
   */
  @Test
  void aUnSequenceOfUndefinedLengthIsWalkedAsImplicitVr() throws Exception {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    explicit(ds, 0x00090010, "LO", "ACME".getBytes(StandardCharsets.US_ASCII));
    tag(ds, 0x00091000);
    ds.writeBytes("UN".getBytes(StandardCharsets.US_ASCII));
    u16(ds, 0);
    u32(ds, 0xFFFFFFFFL);
    tag(ds, ElementReader.ITEM);
    u32(ds, 0xFFFFFFFFL);
    tag(ds, 0x00100010); // implicit inside: tag, 4-byte length, value
    u32(ds, 4);
    ds.writeBytes("AB^C".getBytes(StandardCharsets.US_ASCII));
    tag(ds, ElementReader.ITEM_DELIMITER);
    u32(ds, 0);
    tag(ds, ElementReader.SEQUENCE_DELIMITER);
    u32(ds, 0);
    explicit(ds, 0x00100020, "LO", "ID42".getBytes(StandardCharsets.US_ASCII));
    byte[] file = part10(ds.toByteArray());

    assertThat(DicomStructure.verify(new ByteArrayInputStream(file), file.length).hasPixelData()).isFalse();
    DicomStructure.ValueLocation id = DicomStructure.locate(new ByteArrayInputStream(file), file.length, 0x00100020);
    assertThat(new String(file, (int) id.offset(), (int) id.length(), StandardCharsets.US_ASCII)).isEqualTo("ID42");
  }

  @Test
  void aLengthPastTheEndNamesTheElement() {
    ByteArrayOutputStream ds = new ByteArrayOutputStream();
    tag(ds, 0x00100010);
    ds.writeBytes("PN".getBytes(StandardCharsets.US_ASCII));
    u16(ds, 200);
    ds.writeBytes("DOE^JOHN".getBytes(StandardCharsets.US_ASCII));
    byte[] file = part10(ds.toByteArray());
    assertThatThrownBy(() -> DicomStructure.verify(new ByteArrayInputStream(file), file.length))
        .isInstanceOf(DicomParseException.class).hasMessageContaining("(0010,0010) declares a value of 200 bytes");
  }
}
