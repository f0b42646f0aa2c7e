package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.store.StoreOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The STOW-RS response (PS3.18 10.5.3, Table 10.5.3-1) in DICOM JSON, or in the Native DICOM Model
 * (application/dicom+xml, PS3.19) when the Accept header prefers it: RetrieveURL of the study,
 * FailedSOPSequence with FailureReason, ReferencedSOPSequence with each instance's RetrieveURL (and WarningReason
 * when it was stored with a warning). 200 all stored, 202 some failed or stored with a warning, 409 none stored.
 */
final class StowResponse {
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  private StowResponse() {}

  static void write(Exchange exchange, String urlStudyUid, List<StoreOutcome> outcomes, boolean xml)
      throws IOException {
    long stored = outcomes.stream().filter(StoreOutcome::succeeded).count();
    boolean warned = outcomes.stream().anyMatch(o -> o.warning() != null);
    int status = stored == 0 ? 409 : stored == outcomes.size() && !warned ? 200 : 202;
    if (!xml) {
      try (JsonGenerator json = exchange.startJson(status, "application/dicom+json")) {
        write(json, exchange.dicomWebBase(), urlStudyUid, outcomes);
      }
      return;
    }
    // The JSON document (one entry per part: small), then its PS3.19 form, as /metadata serves XML.
    ByteArrayOutputStream document = new ByteArrayOutputStream();
    try (JsonGenerator json = Exchange.JSON.createGenerator(document)) {
      write(json, exchange.dicomWebBase(), urlStudyUid, outcomes);
    }
    try (OutputStream out = exchange.startBody(status, "application/dicom+xml")) {
      XMLStreamWriter writer = XML.createXMLStreamWriter(out, "UTF-8");
      DicomJsonToXml.convert(document.toByteArray(), writer);
      writer.flush();
    } catch (XMLStreamException e) {
      throw new IOException(e);
    }
  }

  private static void write(JsonGenerator json, String base, String urlStudyUid, List<StoreOutcome> outcomes)
      throws IOException {
    long stored = outcomes.stream().filter(StoreOutcome::succeeded).count();
    String study = urlStudyUid != null ? urlStudyUid : singleStudy(outcomes);
    json.writeStartObject();
    if (study != null) attribute(json, "00081190", "UR", base + "/studies/" + study);
    if (stored < outcomes.size()) {
      sequence(json, "00081198");
      for (StoreOutcome o : outcomes) {
        if (o.succeeded()) continue;
        json.writeStartObject();
        sopReference(json, o);
        reason(json, "00081197", o.failure().stowFailureReason());
        attribute(json, "00000902", "LO", o.message()); // Error Comment: what was wrong
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    if (stored > 0) {
      sequence(json, "00081199");
      for (StoreOutcome o : outcomes) {
        if (!o.succeeded()) continue;
        json.writeStartObject();
        sopReference(json, o);
        attribute(json, "00081190", "UR", base + "/studies/" + o.studyInstanceUid() + "/series/"
            + o.seriesInstanceUid() + "/instances/" + o.sopInstanceUid());
        if (o.warning() != null) warning(json, o);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /**
   * Stored with a warning: its Warning Reason (0008,1196), and a Failed Attributes Sequence (0074,1048) with an Error
   * Comment per value the index could not read, as the Azure DICOM service answers (API v2).
   */
  private static void warning(JsonGenerator json, StoreOutcome o) throws IOException {
    reason(json, "00081196", o.warning().stowWarningReason());
    sequence(json, "00741048");
    for (String invalid : o.invalidValues()) {
      json.writeStartObject();
      attribute(json, "00000902", "LO", invalid);
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static String singleStudy(List<StoreOutcome> outcomes) {
    List<String> studies = outcomes.stream().filter(StoreOutcome::succeeded)
        .map(StoreOutcome::studyInstanceUid).distinct().toList();
    return studies.size() == 1 ? studies.get(0) : null;
  }

  private static void sopReference(JsonGenerator json, StoreOutcome o) throws IOException {
    if (o.sopClassUid() != null) attribute(json, "00081150", "UI", o.sopClassUid());
    if (o.sopInstanceUid() != null) attribute(json, "00081155", "UI", o.sopInstanceUid());
  }

  private static void sequence(JsonGenerator json, String tag) throws IOException {
    json.writeObjectFieldStart(tag);
    json.writeStringField("vr", "SQ");
    json.writeArrayFieldStart("Value");
  }

  /** A Failure Reason or Warning Reason: one US value. */
  private static void reason(JsonGenerator json, String tag, int code) throws IOException {
    json.writeObjectFieldStart(tag);
    json.writeStringField("vr", "US");
    json.writeArrayFieldStart("Value");
    json.writeNumber(code);
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void attribute(JsonGenerator json, String tag, String vr, String value) throws IOException {
    json.writeObjectFieldStart(tag);
    json.writeStringField("vr", vr);
    json.writeArrayFieldStart("Value");
    json.writeString(value);
    json.writeEndArray();
    json.writeEndObject();
  }
}
