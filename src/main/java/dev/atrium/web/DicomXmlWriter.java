package dev.atrium.web;

import dev.atrium.dicom.TagHex;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes data sets in the Native DICOM Model (PS3.19 A.1): QIDO's flat string values through
 * {@link #write}, and, element by element, WADO metadata converted from DICOM JSON.
 */
final class DicomXmlWriter {
  static final String[] PN_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
  private static final String[] PN_COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

  private DicomXmlWriter() {}

  static void write(XMLStreamWriter xml, Map<Integer, String> values, Map<Integer, String> vrs,
      Map<Integer, String> keywords) throws XMLStreamException {
    startDocument(xml);
    for (Map.Entry<Integer, String> e : values.entrySet()) {
      String vr = vrs.get(e.getKey());
      startAttribute(xml, e.getKey(), vr, keywords.get(e.getKey()));
      String value = e.getValue();
      if (value != null && !value.isEmpty()) {
        String[] parts = DicomJsonWriter.values(vr, value);
        for (int i = 0; i < parts.length; i++) {
          if (vr.equals("PN")) personName(xml, i + 1, parts[i].split("=", -1));
          else value(xml, i + 1, parts[i]);
        }
      }
      xml.writeEndElement();
    }
    endDocument(xml);
  }

  static void startDocument(XMLStreamWriter xml) throws XMLStreamException {
    xml.writeStartDocument("UTF-8", "1.0");
    xml.writeStartElement("NativeDicomModel");
    xml.writeDefaultNamespace("http://dicom.nema.org/PS3.19/models/NativeDICOM");
  }

  static void endDocument(XMLStreamWriter xml) throws XMLStreamException {
    xml.writeEndElement();
    xml.writeEndDocument();
  }

  /** Opens a DicomAttribute; close it with {@code xml.writeEndElement()}. The keyword may be null (private). */
  static void startAttribute(XMLStreamWriter xml, int tag, String vr, String keyword) throws XMLStreamException {
    xml.writeStartElement("DicomAttribute");
    xml.writeAttribute("tag", TagHex.of(tag));
    xml.writeAttribute("vr", vr);
    if (keyword != null) xml.writeAttribute("keyword", keyword);
  }

  static void value(XMLStreamWriter xml, int number, String text) throws XMLStreamException {
    xml.writeStartElement("Value");
    xml.writeAttribute("number", String.valueOf(number));
    if (text != null) xml.writeCharacters(text);
    xml.writeEndElement();
  }

  /** Opens an Item of a sequence (PS3.19 A.1.4); close it with {@code xml.writeEndElement()}. */
  static void startItem(XMLStreamWriter xml, int number) throws XMLStreamException {
    xml.writeStartElement("Item");
    xml.writeAttribute("number", String.valueOf(number));
  }

  static void bulkData(XMLStreamWriter xml, String uri) throws XMLStreamException {
    xml.writeEmptyElement("BulkData");
    xml.writeAttribute("uri", uri);
  }

  static void inlineBinary(XMLStreamWriter xml, String base64) throws XMLStreamException {
    xml.writeStartElement("InlineBinary");
    xml.writeCharacters(base64);
    xml.writeEndElement();
  }

  /** A person name: its alphabetic, ideographic and phonetic groups (null or empty when absent), each split at '^'. */
  static void personName(XMLStreamWriter xml, int number, String[] groups) throws XMLStreamException {
    xml.writeStartElement("PersonName");
    xml.writeAttribute("number", String.valueOf(number));
    for (int g = 0; g < Math.min(groups.length, 3); g++) {
      if (groups[g] == null || groups[g].isEmpty()) continue;
      xml.writeStartElement(PN_GROUPS[g]);
      String[] components = groups[g].split("\\^", -1);
      for (int c = 0; c < Math.min(components.length, 5); c++) {
        if (components[c].isEmpty()) continue;
        xml.writeStartElement(PN_COMPONENTS[c]);
        xml.writeCharacters(components[c]);
        xml.writeEndElement();
      }
      xml.writeEndElement();
    }
    xml.writeEndElement();
  }
}
