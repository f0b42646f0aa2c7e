package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DS and IS values in DICOM JSON (PS3.18 F.2.3): JSON numbers, written as they are when they already are one. */
class DicomJsonNumbersTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0.5|0.5",
      "-12|-12",
      "' 1.25 '|1.25",
      "0.0000001|0.0000001", // as written; BigDecimal would print 1E-7
      "6.02e23|6.02e23",
      "1E-3|1E-3",
      "+5|5", // not JSON as written: normalised
      "007|7",
      ".5|0.5",
      "5.|5",
      "1.2.3|\"1.2.3\"", // not a number: kept readable as a string
      "abc|\"abc\""})
  void dsValuesBecomeJsonNumbers(String value, String json) throws IOException {
    assertThat(written("DS", value)).isEqualTo(json);
  }

  @ParameterizedTest
  @CsvSource({"0", "-0", "10", "1.5e+10", "123456789012345678901234567890"})
  void jsonNumbersAreRecognised(String number) {
    assertThat(DicomJsonEncoder.isJsonNumber(number)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"''", "-", "01", "1.", ".1", "1e", "1e+", "+1", "'1 '", "0x10", "NaN", "--1"})
  void whatJsonDoesNotAllowIsNotANumber(String text) {
    assertThat(DicomJsonEncoder.isJsonNumber(text)).isFalse();
  }

  private static String written(String vr, String value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = DicomJsonEncoder.JSON.createGenerator(out)) {
      DicomJsonEncoder.writeString(json, vr, value);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
