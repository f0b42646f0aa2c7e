package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagHexTest {
  @Test
  void formatsTagsAsTheJsonKeyAndAsProse() {
    assertThat(TagHex.of(0x0020000D)).isEqualTo("0020000D");
    assertThat(TagHex.of(0x7FE0, 0x0010)).isEqualTo("7FE00010");
    assertThat(TagHex.of(0xFFFEE0DD)).isEqualTo("FFFEE0DD");
    assertThat(TagHex.of(0)).isEqualTo("00000000");
    assertThat(TagHex.display(0x00100010)).isEqualTo("(0010,0010)");
    assertThat(TagHex.display(0xABCDEF01)).isEqualTo("(ABCD,EF01)");
  }
}
