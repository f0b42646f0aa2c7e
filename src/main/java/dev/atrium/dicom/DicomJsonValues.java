package dev.atrium.dicom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads chosen top-level elements back from an instance's DICOM JSON (PS3.18 F.2, as
 * {@link DicomJsonEncoder} wrote it at store time), streaming: the rest of the document is
 * skipped, never built in memory.
 */
public final class DicomJsonValues {
  private static final JsonFactory JSON = new JsonFactory();

  private DicomJsonValues() {}

  /**
   * One element: its VR, its values as DICOM strings (numbers as written, a person name as
   * "Alphabetic=Ideographic=Phonetic", an empty value as ""), and its InlineBinary bytes or
   * whether its value is only a BulkDataURI.
   */
  public record Element(String vr, List<String> values, byte[] inlineBinary, boolean bulkData) {}

  /** The wanted elements present at the top level of the document, by tag. */
  public static Map<Integer, Element> read(byte[] document, Set<Integer> wanted) throws IOException {
    Map<Integer, Element> found = new HashMap<>();
    try (JsonParser json = JSON.createParser(document)) {
      if (json.nextToken() != JsonToken.START_OBJECT) throw new IOException("the metadata is not a JSON object");
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        Integer tag = tag(json.currentName());
        json.nextToken();
        if (tag == null || !wanted.contains(tag)) {
          json.skipChildren();
          continue;
        }
        found.put(tag, element(json));
      }
    }
    return found;
  }

  private static Integer tag(String name) {
    try {
      return name.length() == 8 ? (int) Long.parseLong(name, 16) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Element element(JsonParser json) throws IOException {
    String vr = null;
    List<String> values = new ArrayList<>();
    byte[] inline = null;
    boolean bulk = false;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case "vr" -> vr = json.getText();
        case "Value" -> {
          while (json.nextToken() != JsonToken.END_ARRAY) values.add(value(json));
        }
        case "InlineBinary" -> inline = Base64.getDecoder().decode(json.getText());
        case "BulkDataURI" -> bulk = true;
        default -> json.skipChildren();
      }
    }
    return new Element(vr, values, inline, bulk);
  }

  private static String value(JsonParser json) throws IOException {
    return switch (json.currentToken()) {
      case VALUE_NULL -> "";
      case START_OBJECT -> personName(json);
      case START_ARRAY -> {
        json.skipChildren();
        yield "";
      }
      default -> json.getText();
    };
  }

  /** F.2.2: {"Alphabetic": …, "Ideographic": …, "Phonetic": …} back to "A=I=P". */
  private static String personName(JsonParser json) throws IOException {
    String[] groups = {"", "", ""};
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String group = json.currentName();
      json.nextToken();
      int index = switch (group) {
        case "Alphabetic" -> 0;
        case "Ideographic" -> 1;
        case "Phonetic" -> 2;
        default -> -1;
      };
      if (index >= 0 && json.currentToken() == JsonToken.VALUE_STRING) groups[index] = json.getText();
      else json.skipChildren(); // a sequence item, not a name: nothing to keep
    }
    String name = String.join("=", groups);
    return name.replaceAll("=+$", "");
  }
}
