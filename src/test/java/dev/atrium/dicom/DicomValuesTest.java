package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class DicomValuesTest {
  @Test
  void uidSyntaxFollowsPs35Section91() {
    assertThat(DicomUid.isValid("1.2.840.10008.5.1.4.1.1.2")).isTrue();
    assertThat(DicomUid.isValid("0.1.2")).isTrue();
    assertThat(DicomUid.isValid("1.02.3")).as("leading zero").isFalse();
    assertThat(DicomUid.isValid("1..2")).isFalse();
    assertThat(DicomUid.isValid("1.2.")).isFalse();
    assertThat(DicomUid.isValid("../../etc/passwd")).isFalse();
    assertThat(DicomUid.isValid("1.2.3;DROP TABLE instance")).isFalse();
    assertThat(DicomUid.isValid("1." + "2".repeat(63))).as("65 characters").isFalse();
    assertThat(DicomUid.isValid("")).isFalse();
  }

  @Test
  void datesAndTimesParseLeniently() {
    assertThat(DicomValues.date("20240131")).isEqualTo(LocalDate.of(2024, 1, 31));
    assertThat(DicomValues.date("2024.01.31")).isEqualTo(LocalDate.of(2024, 1, 31));
    assertThat(DicomValues.date("20240231")).isNull();
    assertThat(DicomValues.time("0727")).isEqualTo(LocalTime.of(7, 27));
    assertThat(DicomValues.time("072730.123")).isEqualTo(LocalTime.of(7, 27, 30, 123_000_000));
    assertThat(DicomValues.time("07:27:30")).isEqualTo(LocalTime.of(7, 27, 30));
    assertThat(DicomValues.time("7")).isNull();
  }

  @Test
  void personNamesAreIndexedInCanonicalForm() {
    assertThat(DicomValues.personName("Wang^XiaoDong=王^小东=")).isEqualTo("Wang^XiaoDong=王^小东");
    assertThat(DicomValues.personName("Doe^John^^^")).isEqualTo("Doe^John");
    assertThat(DicomValues.personName("=山田^太郎")).isEqualTo("=山田^太郎");
    assertThat(DicomValues.personName(" ^ ")).isNull();
  }
}
