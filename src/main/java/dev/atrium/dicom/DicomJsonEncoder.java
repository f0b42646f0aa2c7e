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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's metadata in the DICOM JSON Model (PS3.18 F.2), built once at store time. Large
 * top-level binary values and Pixel Data become BulkDataURIs under {@link #INSTANCE_URL}, a
 * placeholder the server replaces with the instance's URL when it serves the document.
 */
public final class DicomJsonEncoder {
  /** Replaced by the instance's retrieve URL when a stored document is served. */
  public static final String INSTANCE_URL = "{{instance}}";
  private static final int INLINE_BINARY_LIMIT = 1024;
  private static final Logger log = LoggerFactory.getLogger(DicomJsonEncoder.class);
  static final JsonFactory JSON = new JsonFactory();
  static final Set<String> BINARY = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
  private static final Set<String> INTEGERS = Set.of("SL", "SS", "UL", "US", "SV", "UV");
  private static final Set<String> FLOATS = Set.of("FL", "FD");

  private DicomJsonEncoder() {}

  static byte[] encode(AttributeList list, String pixelDataVr) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      writeAttributes(json, list, true);
      if (pixelDataVr != null) writePixelDataReference(json, pixelDataVr);
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Pixel Data, which the stored metadata always lists by reference. */
  static void writePixelDataReference(JsonGenerator json, String pixelDataVr) throws IOException {
    JsonNames.startAttribute(json, 0x7FE00010, pixelDataVr);
    json.writeStringField("BulkDataURI", bulkDataUri(0x7FE00010));
    json.writeEndObject();
  }

  static String bulkDataUri(int tag) {
    return INSTANCE_URL + "/bulkdata/" + TagHex.of(tag);
  }

  private static void writeAttributes(JsonGenerator json, AttributeList list, boolean topLevel) throws IOException {
    for (Attribute a : list.values()) {
      AttributeTag tag = a.getTag();
      if (tag.getGroup() == 0x0002 || tag.getElement() == 0x0000 || tag.getGroup() == 0xFFFC) continue;
      String vr = new String(a.getVR(), StandardCharsets.US_ASCII);
      JsonNames.startAttribute(json, tag.getGroup() << 16 | tag.getElement(), vr);
      writeValue(json, a, vr, topLevel);
      json.writeEndObject();
    }
  }

  private static void writeValue(JsonGenerator json, Attribute a, String vr, boolean topLevel) throws IOException {
    if (a instanceof SequenceAttribute sequence) {
      if (sequence.getNumberOfItems() == 0) return;
      JsonNames.startValue(json);
      for (Iterator<SequenceItem> items = sequence.iterator(); items.hasNext(); ) {
        json.writeStartObject();
        writeAttributes(json, items.next().getAttributeList(), false);
        json.writeEndObject();
      }
      json.writeEndArray();
      return;
    }
    Object value;
    try {
      value = extract(a, vr, topLevel);
    } catch (DicomException | RuntimeException e) {
      // A value the toolkit cannot read back (odd private data) must not cost the store: the
      // attribute is listed with its VR and no value, and the file keeps the bytes.
      log.debug("metadata: no value for {} ({}): {}", a.getTag(), vr, e.getMessage());
      return;
    }
    if (value instanceof String uri) {
      json.writeStringField("BulkDataURI", uri);
    } else if (value instanceof byte[] bytes) {
      json.writeStringField("InlineBinary", Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof long[] longs) {
      JsonNames.startValue(json);
      for (long v : longs) json.writeNumber(v);
      json.writeEndArray();
    } else if (value instanceof double[] doubles) {
      JsonNames.startValue(json);
      for (double v : doubles) writeDouble(json, v);
      json.writeEndArray();
    } else if (value instanceof String[] strings) {
      JsonNames.startValue(json);
      for (String v : strings) writeString(json, vr, v);
      json.writeEndArray();
    }
  }

  /** The value as a BulkDataURI (String), inline bytes, long[], double[] or String[]; null when empty. */
  private static Object extract(Attribute a, String vr, boolean topLevel) throws DicomException {
    if (BINARY.contains(vr)) {
      if (a.getVL() == 0) return null;
      if (topLevel && a.getVL() > INLINE_BINARY_LIMIT) {
        return bulkDataUri(a.getTag().getGroup() << 16 | a.getTag().getElement());
      }
      return littleEndianBytes(a);
    }
    if (a.getVM() == 0) return null;
    if (INTEGERS.contains(vr)) return a.getLongValues();
    if (FLOATS.contains(vr)) return a.getDoubleValues();
    if (vr.equals("AT")) return attributeTags(a.getStringValues());
    return a.getStringValues();
  }

  /** F.2.3.1: an AT value is "GGGGEEEE"; PixelMed writes "(0xgggg,0xeeee)". */
  private static String[] attributeTags(String[] values) {
    String[] tags = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      tags[i] = values[i].replaceAll("[^0-9A-Fa-f]|0x", "").toUpperCase(java.util.Locale.ROOT);
    }
    return tags;
  }

  /** F.2.7: InlineBinary is the little endian value; PixelMed keeps OW as shorts. */
  private static byte[] littleEndianBytes(Attribute a) throws DicomException {
    if (a.getVR()[0] == 'O' && a.getVR()[1] == 'W') {
      short[] words = a.getShortValues();
      ByteBuffer bytes = ByteBuffer.allocate(words.length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (short w : words) bytes.putShort(w);
      return bytes.array();
    }
    return a.getByteValues(false);
  }

  static void writeString(JsonGenerator json, String vr, String value) throws IOException {
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
        String number = value.strip();
        if (isJsonNumber(number)) {
          json.writeNumber(number); // nearly every value: written as it is, not parsed and printed again
          return;
        }
        try {
          json.writeNumber(new BigDecimal(number)); // "+5", "007", ".5", "5.": a number JSON writes otherwise
        } catch (NumberFormatException e) {
          json.writeString(number); // a malformed number stays readable
        }
      }
      default -> json.writeString(value);
    }
  }

  /** RFC 8259 section 6: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  static boolean isJsonNumber(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && s.charAt(i) == '-') i++;
    if (i == n) return false;
    if (s.charAt(i) == '0') {
      i++;
    } else {
      int start = i;
      while (i < n && isDigit(s.charAt(i))) i++;
      if (i == start) return false;
    }
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) i++;
      if (i == start) return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      int start = i;
      while (i < n && isDigit(s.charAt(i))) i++;
      if (i == start) return false;
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static void writeDouble(JsonGenerator json, double v) throws IOException {
    if (Double.isFinite(v)) json.writeNumber(v);
    else json.writeString(Double.toString(v)); // JSON has no NaN or Infinity
  }
}
