package dev.atrium.dicom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/**
 * An instance's metadata in the DICOM JSON Model (PS3.18 F.2), built once at store time. Large
 * top-level binary values and Pixel Data become BulkDataURIs under {@link #INSTANCE_URL}, a
 * placeholder the server replaces with the instance's URL when it serves the document.
 */
public final class DicomJsonEncoder {
  /** Replaced by the instance's retrieve URL when a stored document is served. */
  public static final String INSTANCE_URL = "{{instance}}";
  private static final int INLINE_BINARY_LIMIT = 1024;
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> BINARY = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
  private static final Set<String> INTEGERS = Set.of("SL", "SS", "UL", "US", "SV", "UV");
  private static final Set<String> FLOATS = Set.of("FL", "FD");

  private DicomJsonEncoder() {}

  static byte[] encode(AttributeList list, String pixelDataVr) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      writeAttributes(json, list, true);
      if (pixelDataVr != null) {
        json.writeObjectFieldStart("7FE00010");
        json.writeStringField("vr", pixelDataVr);
        json.writeStringField("BulkDataURI", INSTANCE_URL + "/bulkdata/7FE00010");
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void writeAttributes(JsonGenerator json, AttributeList list, boolean topLevel) throws IOException {
    for (Attribute a : list.values()) {
      AttributeTag tag = a.getTag();
      if (tag.getGroup() == 0x0002 || tag.getElement() == 0x0000 || tag.getGroup() == 0xFFFC) continue;
      String vr = new String(a.getVR(), StandardCharsets.US_ASCII);
      json.writeObjectFieldStart(String.format("%04X%04X", tag.getGroup(), tag.getElement()));
      json.writeStringField("vr", vr);
      try {
        writeValue(json, a, vr, topLevel);
      } catch (DicomException e) {
        throw new IOException("cannot encode " + tag + ": " + e.getMessage(), e);
      }
      json.writeEndObject();
    }
  }

  private static void writeValue(JsonGenerator json, Attribute a, String vr, boolean topLevel)
      throws IOException, DicomException {
    if (a instanceof SequenceAttribute sequence) {
      if (sequence.getNumberOfItems() == 0) return;
      json.writeArrayFieldStart("Value");
      for (Iterator<SequenceItem> items = sequence.iterator(); items.hasNext(); ) {
        json.writeStartObject();
        writeAttributes(json, items.next().getAttributeList(), false);
        json.writeEndObject();
      }
      json.writeEndArray();
      return;
    }
    if (BINARY.contains(vr)) {
      if (a.getVL() == 0) return;
      if (topLevel && a.getVL() > INLINE_BINARY_LIMIT) {
        json.writeStringField("BulkDataURI", INSTANCE_URL + "/bulkdata/"
            + String.format("%04X%04X", a.getTag().getGroup(), a.getTag().getElement()));
      } else {
        json.writeStringField("InlineBinary", java.util.Base64.getEncoder().encodeToString(a.getByteValues()));
      }
      return;
    }
    if (a.getVM() == 0) return;
    json.writeArrayFieldStart("Value");
    if (INTEGERS.contains(vr)) {
      for (long v : a.getLongValues()) json.writeNumber(v);
    } else if (FLOATS.contains(vr)) {
      for (double v : a.getDoubleValues()) writeDouble(json, v);
    } else {
      for (String v : a.getStringValues()) writeString(json, vr, v);
    }
    json.writeEndArray();
  }

  private static void writeString(JsonGenerator json, String vr, String value) throws IOException {
    if (value == null || value.isEmpty()) {
      json.writeNull(); // an empty value among several (F.2.5)
      return;
    }
    switch (vr) {
      case "PN" -> {
        String[] groups = value.split("=", -1);
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        json.writeStartObject();
        for (int i = 0; i < Math.min(3, groups.length); i++) {
          if (!groups[i].isEmpty()) json.writeStringField(names[i], groups[i]);
        }
        json.writeEndObject();
      }
      case "IS", "DS" -> {
        try {
          json.writeNumber(new BigDecimal(value.strip()));
        } catch (NumberFormatException e) {
          json.writeString(value.strip()); // a malformed number stays readable
        }
      }
      default -> json.writeString(value);
    }
  }

  private static void writeDouble(JsonGenerator json, double v) throws IOException {
    if (Double.isFinite(v)) json.writeNumber(v);
    else json.writeString(Double.toString(v)); // JSON has no NaN or Infinity
  }
}
