package dev.atrium.dicom;

import dev.atrium.support.Bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.dicom.DicomIdentifier.Key;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DicomIdentifierTest {
  private static final String EXPLICIT = SopClasses.EXPLICIT_VR_LITTLE_ENDIAN;
  private static final String IMPLICIT = SopClasses.IMPLICIT_VR_LITTLE_ENDIAN;

  @Test
  void decodesLatin1AndGreekValuesWithTheIdentifiersCharacterSet() throws Exception {
    byte[] french = new Writer(true)
        .text(0x00080005, "CS", "ISO_IR 100", StandardCharsets.US_ASCII)
        .text(0x00080052, "CS", "STUDY", StandardCharsets.US_ASCII)
        .text(0x00100010, "PN", "Buc^Jérôme", StandardCharsets.ISO_8859_1)
        .text(0x00100020, "LO", "", StandardCharsets.US_ASCII)
        .bytes();
    DicomIdentifier id = DicomIdentifier.read(new ByteArrayInputStream(french), EXPLICIT);
    assertThat(id.level()).isEqualTo("STUDY");
    assertThat(id.specificCharacterSet()).isEqualTo("ISO_IR 100");
    assertThat(id.keys()).containsOnlyKeys(0x00100010, 0x00100020);
    assertThat(id.keys().get(0x00100010)).isEqualTo(new Key("PN", "Buc^Jérôme"));
    assertThat(id.keys().get(0x00100020)).isEqualTo(new Key("LO", ""));

    byte[] greek = new Writer(false)
        .text(0x00080005, "CS", "ISO_IR 126", StandardCharsets.US_ASCII)
        .text(0x00100010, "PN", "Διονυσιος", Charset.forName("ISO-8859-7"))
        .bytes();
    DicomIdentifier greekId = DicomIdentifier.read(new ByteArrayInputStream(greek), IMPLICIT);
    assertThat(greekId.keys().get(0x00100010).value()).isEqualTo("Διονυσιος");
    assertThat(greekId.level()).isNull();
  }

  @Test
  void keepsUidListsAndSequencesAsUnmatchableKeys() throws Exception {
    byte[] bytes = new Writer(true)
        .text(0x00080052, "CS", "SERIES", StandardCharsets.US_ASCII)
        .emptySequence(0x00081110)
        .text(0x0020000D, "UI", "1.2.3\\1.2.4", StandardCharsets.US_ASCII)
        .bytes();
    DicomIdentifier id = DicomIdentifier.read(new ByteArrayInputStream(bytes), EXPLICIT);
    assertThat(id.keys()).containsOnlyKeys(0x0020000D, 0x00081110);
    assertThat(id.keys().get(0x0020000D).value()).isEqualTo("1.2.3\\1.2.4");
    // an empty sequence asks for no match: kept, so that it is returned (empty), as an unsupported key
    assertThat(id.keys().get(0x00081110)).isEqualTo(new DicomIdentifier.Key("SQ", ""));
  }

  @Test
  void writesUtf8WithCharacterSetAndLevelInEitherTransferSyntax() throws Exception {
    Map<Integer, Key> keys = new TreeMap<>();
    keys.put(0x00100010, new Key("PN", "Yamada^Tarou=山田^太郎=やまだ^たろう"));
    keys.put(0x0020000D, new Key("UI", "1.2.3"));
    keys.put(0x00080061, new Key("CS", "CT\\MR"));
    keys.put(0x00321032, new Key("PN", "")); // unsupported optional key: zero length
    for (String ts : new String[] {EXPLICIT, IMPLICIT}) {
      byte[] written = DicomIdentifier.write(ts, "STUDY", keys);
      assertThat(Bytes.indexOf(written, "Yamada^Tarou=山田^太郎=やまだ^たろう".getBytes(StandardCharsets.UTF_8))).as(ts)
          .isPositive();
      DicomIdentifier back = DicomIdentifier.read(new ByteArrayInputStream(written), ts);
      assertThat(back.specificCharacterSet()).isEqualTo("ISO_IR 192");
      assertThat(back.level()).isEqualTo("STUDY");
      assertThat(back.keys()).containsOnlyKeys(0x00100010, 0x0020000D, 0x00080061, 0x00321032);
      assertThat(back.keys().get(0x00100010).value()).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
      assertThat(back.keys().get(0x00080061).value()).isEqualTo("CT\\MR");
      assertThat(back.keys().get(0x00321032).value()).isEmpty();
    }
    // UI padded with NUL, not space; the PN element itself is even-length
    byte[] explicit = DicomIdentifier.write(EXPLICIT, "STUDY", Map.of(0x0020000D, new Key("UI", "1.2.3")));
    assertThat(Bytes.indexOf(explicit, new byte[] {'U', 'I', 6, 0, '1', '.', '2', '.', '3', 0})).isPositive();
  }

  @Test
  void garbageIsAParseError() {
    byte[] garbage = {0x10, 0x00, 0x10, 0x00, 'P', 'N', (byte) 0xff, 0x7f, 'x'};
    assertThatThrownBy(() -> DicomIdentifier.read(new ByteArrayInputStream(garbage), EXPLICIT))
        .isInstanceOf(DicomParseException.class);
  }

  /** A hand-made little endian data set, so the reader is not tested against itself. */
  private static final class Writer {
    private final boolean explicit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer(boolean explicit) {
      this.explicit = explicit;
    }

    Writer text(int tag, String vr, String value, Charset charset) {
      byte[] v = value.getBytes(charset);
      if (v.length % 2 != 0) {
        byte[] padded = java.util.Arrays.copyOf(v, v.length + 1);
        padded[v.length] = vr.equals("UI") ? 0 : (byte) ' ';
        v = padded;
      }
      tag(tag);
      if (explicit) {
        out.write(vr.charAt(0));
        out.write(vr.charAt(1));
        le16(v.length);
      } else {
        le32(v.length);
      }
      out.writeBytes(v);
      return this;
    }

    Writer emptySequence(int tag) {
      tag(tag);
      if (explicit) {
        out.writeBytes(new byte[] {'S', 'Q', 0, 0});
      }
      le32(0);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int tag) {
      le16(tag >>> 16);
      le16(tag & 0xFFFF);
    }

    private void le16(int v) {
      out.write(v & 0xff);
      out.write((v >>> 8) & 0xff);
    }

    private void le32(int v) {
      le16(v & 0xFFFF);
      le16(v >>> 16);
    }
  }
}
