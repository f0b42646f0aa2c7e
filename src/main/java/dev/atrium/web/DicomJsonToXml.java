package dev.atrium.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.atrium.dicom.DataDictionary;
import java.io.IOException;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Turns one stored DICOM JSON document (PS3.18 F.2) into the Native DICOM Model (PS3.19 A.1)
 * token by token, so XML metadata is served from the same stored documents as JSON: values,
 * person names, sequence items, BulkDataURI and InlineBinary map one to one (F.2 is defined as
 * that mapping). Each attribute's "vr" must come before its value, as the archive writes it.
 */
final class DicomJsonToXml {
  private DicomJsonToXml() {}

  static void convert(byte[] json, XMLStreamWriter xml) throws IOException, XMLStreamException {
    try (JsonParser parser = Exchange.JSON.createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      DicomXmlWriter.startDocument(xml);
      dataSet(parser, xml);
      DicomXmlWriter.endDocument(xml);
    }
  }

  /** The attributes of a data set or item, after its START_OBJECT, through its END_OBJECT. */
  private static void dataSet(JsonParser parser, XMLStreamWriter xml) throws IOException, XMLStreamException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      int tag = (int) Long.parseLong(parser.getCurrentName(), 16);
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      attribute(parser, xml, tag);
    }
  }

  private static void attribute(JsonParser parser, XMLStreamWriter xml, int tag) throws IOException, XMLStreamException {
    String vr = null;
    boolean started = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.getCurrentName();
      parser.nextToken();
      if (field.equals("vr")) {
        vr = parser.getText();
        DicomXmlWriter.startAttribute(xml, tag, vr, DataDictionary.keyword(tag));
        started = true;
        continue;
      }
      if (!started) throw new IOException(String.format("attribute %08X has a %s before its vr", tag, field));
      switch (field) {
        case "Value" -> values(parser, xml, vr);
        case "BulkDataURI" -> DicomXmlWriter.bulkData(xml, parser.getText());
        case "InlineBinary" -> DicomXmlWriter.inlineBinary(xml, parser.getText());
        default -> parser.skipChildren();
      }
    }
    if (!started) throw new IOException(String.format("attribute %08X has no vr", tag));
    xml.writeEndElement();
  }

  private static void values(JsonParser parser, XMLStreamWriter xml, String vr) throws IOException, XMLStreamException {
    expect(parser.currentToken(), JsonToken.START_ARRAY);
    int number = 0;
    for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; ) {
      number++;
      if (vr.equals("SQ")) {
        expect(token, JsonToken.START_OBJECT);
        DicomXmlWriter.startItem(xml, number);
        dataSet(parser, xml);
        xml.writeEndElement();
      } else if (vr.equals("PN") && token == JsonToken.VALUE_NULL) {
        DicomXmlWriter.personName(xml, number, new String[0]);
      } else if (vr.equals("PN") && token == JsonToken.START_OBJECT) {
        String[] groups = new String[3];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String group = parser.getCurrentName();
          parser.nextToken();
          for (int g = 0; g < 3; g++) if (DicomXmlWriter.PN_GROUPS[g].equals(group)) groups[g] = parser.getText();
        }
        DicomXmlWriter.personName(xml, number, groups);
      } else {
        DicomXmlWriter.value(xml, number, token == JsonToken.VALUE_NULL ? null : parser.getText());
      }
    }
  }

  private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
    if (actual != wanted) throw new IOException("stored metadata is not DICOM JSON: " + actual + " where " + wanted
        + " belongs");
  }
}
