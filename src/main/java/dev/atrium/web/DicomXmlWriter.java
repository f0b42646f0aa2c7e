package dev.atrium.web;

import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes one data set of string values in the Native DICOM Model (PS3.19 A.1). */
final class DicomXmlWriter {
  private static final String[] PN_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
  private static final String[] PN_COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

  private DicomXmlWriter() {}

  static void write(XMLStreamWriter xml, Map<Integer, String> values, Map<Integer, String> vrs,
      Map<Integer, String> keywords) throws XMLStreamException {
    xml.writeStartDocument("UTF-8", "1.0");
    xml.writeStartElement("NativeDicomModel");
    xml.writeDefaultNamespace("http://dicom.nema.org/PS3.19/models/NativeDICOM");
    for (Map.Entry<Integer, String> e : values.entrySet()) {
      String vr = vrs.get(e.getKey());
      xml.writeStartElement("DicomAttribute");
      xml.writeAttribute("tag", String.format("%08X", e.getKey()));
      xml.writeAttribute("vr", vr);
      String keyword = keywords.get(e.getKey());
      if (keyword != null) xml.writeAttribute("keyword", keyword);
      String value = e.getValue();
      if (value != null && !value.isEmpty()) {
        String[] parts = value.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) {
          if (vr.equals("PN")) personName(xml, i + 1, parts[i]);
          else {
            xml.writeStartElement("Value");
            xml.writeAttribute("number", String.valueOf(i + 1));
            xml.writeCharacters(parts[i]);
            xml.writeEndElement();
          }
        }
      }
      xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
  }

  private static void personName(XMLStreamWriter xml, int number, String value) throws XMLStreamException {
    xml.writeStartElement("PersonName");
    xml.writeAttribute("number", String.valueOf(number));
    String[] groups = value.split("=", -1);
    for (int g = 0; g < Math.min(groups.length, 3); g++) {
      if (groups[g].isEmpty()) continue;
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
