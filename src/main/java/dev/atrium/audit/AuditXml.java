package dev.atrium.audit;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An {@link AuditEvent} as a DICOM audit message (PS3.15 A.5.1, the RFC 3881 derived schema),
 * on one line: the spool file holds one message per line, and syslog one per frame.
 */
final class AuditXml {
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  private AuditXml() {}

  static String write(AuditEvent event, List<AuditPatients.Patient> patients, String sourceId, String host) {
    StringWriter out = new StringWriter(1024);
    try {
      XMLStreamWriter xml = XML.createXMLStreamWriter(out);
      xml.writeStartElement("AuditMessage");

      xml.writeStartElement("EventIdentification");
      xml.writeAttribute("EventActionCode", event.kind().action);
      xml.writeAttribute("EventDateTime", DateTimeFormatter.ISO_INSTANT.format(event.when()));
      xml.writeAttribute("EventOutcomeIndicator", event.outcome().code);
      code(xml, "EventID", event.kind().code, event.kind().name);
      if (event.kind().typeCode != null) code(xml, "EventTypeCode", event.kind().typeCode, event.kind().typeName);
      if (event.detail() != null) element(xml, "EventOutcomeDescription", event.detail());
      xml.writeEndElement();

      // The requestor: a user or a calling AE, at its network address (type 2: IP address).
      xml.writeStartElement("ActiveParticipant");
      xml.writeAttribute("UserID", event.who() == null ? "unknown" : event.who());
      xml.writeAttribute("UserIsRequestor", "true");
      if (event.sourceAddress() != null) {
        xml.writeAttribute("NetworkAccessPointID", event.sourceAddress());
        xml.writeAttribute("NetworkAccessPointTypeCode", "2");
      }
      // PS3.15 A.5.3.7: the Source sends the instances. A requestor that retrieves is their Destination, and the
      // archive their Source; for a store and a query the requestor is the Source. The application alone, at start
      // and stop, is the Application (A.5.3.1).
      boolean archiveSends = event.kind() == AuditEvent.Kind.INSTANCES_RETRIEVED;
      boolean applicationOnly = event.kind() == AuditEvent.Kind.APPLICATION_START
          || event.kind() == AuditEvent.Kind.APPLICATION_STOP;
      if (applicationOnly) code(xml, "RoleIDCode", "110150", "Application");
      else if (archiveSends) code(xml, "RoleIDCode", "110152", "Destination Role ID");
      else code(xml, "RoleIDCode", "110153", "Source Role ID");
      xml.writeEndElement();
      // The archive itself.
      xml.writeStartElement("ActiveParticipant");
      xml.writeAttribute("UserID", sourceId);
      xml.writeAttribute("AlternativeUserID", String.valueOf(ProcessHandle.current().pid()));
      xml.writeAttribute("UserIsRequestor", "false");
      xml.writeAttribute("NetworkAccessPointID", host);
      xml.writeAttribute("NetworkAccessPointTypeCode", "1");
      if (applicationOnly) code(xml, "RoleIDCode", "110150", "Application");
      else if (archiveSends) code(xml, "RoleIDCode", "110153", "Source Role ID");
      else code(xml, "RoleIDCode", "110152", "Destination Role ID");
      xml.writeEndElement();

      xml.writeStartElement("AuditSourceIdentification");
      xml.writeAttribute("AuditSourceID", sourceId);
      xml.writeStartElement("AuditSourceTypeCode");
      xml.writeAttribute("csd-code", "4"); // application server process
      xml.writeAttribute("codeSystemName", "DCM");
      xml.writeAttribute("originalText", "Application Server");
      xml.writeEndElement();
      xml.writeEndElement();

      for (String study : event.studyUids()) {
        xml.writeStartElement("ParticipantObjectIdentification");
        xml.writeAttribute("ParticipantObjectID", study);
        xml.writeAttribute("ParticipantObjectTypeCode", "2"); // system object
        xml.writeAttribute("ParticipantObjectTypeCodeRole", "3"); // report
        code(xml, "ParticipantObjectIDTypeCode", "110180", "Study Instance UID");
        partition(xml, event.partition());
        xml.writeEndElement();
      }
      for (AuditPatients.Patient patient : patients) {
        if (patient.id() == null || patient.id().isBlank()) continue; // Patient ID is type 2: nothing to name
        xml.writeStartElement("ParticipantObjectIdentification");
        xml.writeAttribute("ParticipantObjectID", patient.id());
        xml.writeAttribute("ParticipantObjectTypeCode", "1"); // person
        xml.writeAttribute("ParticipantObjectTypeCodeRole", "1"); // patient
        code(xml, "ParticipantObjectIDTypeCode", "2", "RFC-3881", "Patient Number");
        if (patient.name() != null && !patient.name().isBlank()) {
          element(xml, "ParticipantObjectName", patient.name());
        }
        xml.writeEndElement();
      }
      if (event.query() != null) {
        // PS3.15 A.5.3.10: the query itself, base64. A C-FIND is identified by the SOP class of its information
        // model; a QIDO-RS, which has none, by its transaction (its path is the query).
        xml.writeStartElement("ParticipantObjectIdentification");
        xml.writeAttribute("ParticipantObjectID", event.queriedSopClass() != null ? event.queriedSopClass() : "QIDO-RS");
        xml.writeAttribute("ParticipantObjectTypeCode", "2");
        xml.writeAttribute("ParticipantObjectTypeCodeRole", "24"); // query
        if (event.queriedSopClass() != null) code(xml, "ParticipantObjectIDTypeCode", "110181", "SOP Class UID");
        else code(xml, "ParticipantObjectIDTypeCode", "QIDO-RS", "99ATRIUM", "DICOMweb search"); // a private code
        element(xml, "ParticipantObjectQuery",
            Base64.getEncoder().encodeToString(event.query().getBytes(StandardCharsets.UTF_8)));
        partition(xml, event.partition());
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write an audit message", e);
    }
    return out.toString().replace("\r", "&#13;").replace("\n", "&#10;");
  }

  private static void partition(XMLStreamWriter xml, String partition) throws XMLStreamException {
    if (partition == null) return;
    xml.writeStartElement("ParticipantObjectDetail");
    xml.writeAttribute("type", "Partition");
    xml.writeAttribute("value", Base64.getEncoder().encodeToString(partition.getBytes(StandardCharsets.UTF_8)));
    xml.writeEndElement();
  }

  private static void code(XMLStreamWriter xml, String element, String code, String text) throws XMLStreamException {
    code(xml, element, code, "DCM", text);
  }

  private static void code(XMLStreamWriter xml, String element, String code, String system, String text)
      throws XMLStreamException {
    xml.writeStartElement(element);
    xml.writeAttribute("csd-code", code);
    xml.writeAttribute("codeSystemName", system);
    xml.writeAttribute("originalText", text);
    xml.writeEndElement();
  }

  private static void element(XMLStreamWriter xml, String element, String text) throws XMLStreamException {
    xml.writeStartElement(element);
    xml.writeCharacters(text);
    xml.writeEndElement();
  }
}
