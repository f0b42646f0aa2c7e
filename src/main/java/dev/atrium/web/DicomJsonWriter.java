package dev.atrium.web;

import dev.atrium.dicom.TagHex;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Writes one data set of string values in the DICOM JSON Model (PS3.18 F.2). */
final class DicomJsonWriter {
  private static final Set<String> SINGLE_VALUED = Set.of("LT", "ST", "UT", "UR");

  private DicomJsonWriter() {}

  /** values: tag → DICOM string value ("" = present but empty); vrs: the VR of each tag. */
  static void write(JsonGenerator json, Map<Integer, String> values, Map<Integer, String> vrs) throws IOException {
    json.writeStartObject();
    for (Map.Entry<Integer, String> e : values.entrySet()) {
      String vr = vrs.get(e.getKey());
      json.writeObjectFieldStart(TagHex.of(e.getKey()));
      json.writeStringField("vr", vr);
      String value = e.getValue();
      if (value != null && !value.isEmpty()) {
        json.writeArrayFieldStart("Value");
        for (String v : values(vr, value)) writeValue(json, vr, v);
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** The values of a DICOM string value: split at backslashes, but LT, ST, UT and UR hold one (PS3.5 6.2). */
  static String[] values(String vr, String value) {
    return SINGLE_VALUED.contains(vr) ? new String[] {value} : value.split("\\\\", -1);
  }

  private static void writeValue(JsonGenerator json, String vr, String v) throws IOException {
    switch (vr) {
      case "PN" -> personName(json, v);
      case "IS", "SL", "SS", "UL", "US", "DS", "FD", "FL" -> { // F.2.3: numbers as JSON numbers
        try {
          json.writeNumber(new BigDecimal(v.strip()));
        } catch (NumberFormatException e) {
          json.writeString(v);
        }
      }
      default -> json.writeString(v);
    }
  }

  /** F.2.2: a PN value is an object of its component groups. */
  private static void personName(JsonGenerator json, String v) throws IOException {
    String[] groups = v.split("=", -1);
    String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
    json.writeStartObject();
    for (int i = 0; i < Math.min(groups.length, 3); i++) {
      if (!groups[i].isEmpty()) json.writeStringField(names[i], groups[i]);
    }
    json.writeEndObject();
  }
}
