package dev.atrium.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.dicom.DataDictionary;
import dev.atrium.dicom.DicomUid;
import dev.atrium.query.InvalidQueryException;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryAttributes;
import dev.atrium.query.QueryEngine;
import dev.atrium.query.QueryLevel;
import dev.atrium.query.QueryMatch;
import dev.atrium.query.QueryRequest;
import dev.atrium.query.QuerySink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * QIDO-RS (PS3.18 10.6): translates the path and query string into a query of the engine and
 * streams the matches as DICOM JSON (default) or multipart PS3.19 XML.
 */
final class QidoEndpoint implements Route.Endpoint {
  private static final Map<Integer, String> VRS = new HashMap<>();
  private static final Map<Integer, String> KEYWORDS = new HashMap<>();

  static {
    for (QueryAttribute a : QueryAttributes.all()) {
      VRS.put(a.tag(), a.vr());
      KEYWORDS.put(a.tag(), a.keyword());
    }
    VRS.put(QueryAttributes.SPECIFIC_CHARACTER_SET, "CS");
    VRS.put(QueryAttributes.INSTANCE_AVAILABILITY, "CS");
    VRS.put(QueryAttributes.RETRIEVE_URL, "UR");
    KEYWORDS.put(QueryAttributes.SPECIFIC_CHARACTER_SET, "SpecificCharacterSet");
    KEYWORDS.put(QueryAttributes.INSTANCE_AVAILABILITY, "InstanceAvailability");
    KEYWORDS.put(QueryAttributes.RETRIEVE_URL, "RetrieveURL");
  }

  private enum Format { JSON, XML }

  /** The Azure DICOM service's header naming queried extended query tags that had indexing errors. */
  private static final String ERRONEOUS = "erroneous-dicom-attributes";

  private final QueryEngine engine;
  private final QueryLevel level;

  QidoEndpoint(QueryEngine engine, QueryLevel level) {
    this.engine = engine;
    this.level = level;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    if (study != null) DicomUid.require(study, "StudyInstanceUID in the request URL");
    if (series != null) DicomUid.require(series, "SeriesInstanceUID in the request URL");
    Format format = negotiate(exchange.header(HttpHeader.ACCEPT));
    QidoParameters parameters;
    try {
      parameters = QidoParameters.parse(Request.extractQueryParameters(exchange.request), engine.catalog());
    } catch (InvalidQueryException e) {
      throw new HttpProblem(400, e.getMessage());
    }
    Map<Integer, String> keys = new LinkedHashMap<>(parameters.matchKeys());
    pathKey(keys, QueryAttributes.STUDY_INSTANCE_UID, study);
    pathKey(keys, QueryAttributes.SERIES_INSTANCE_UID, series);
    Set<Integer> returned = QidoDefaults.returnKeys(level, study != null, parameters, engine.catalog());
    returned.add(QueryAttributes.STUDY_INSTANCE_UID); // for the Retrieve URL
    if (level != QueryLevel.STUDY) returned.add(QueryAttributes.SERIES_INSTANCE_UID);
    if (level == QueryLevel.INSTANCE) returned.add(QueryAttributes.SOP_INSTANCE_UID);

    // Without a limit the archive's own cuts the results: one more is asked for, to tell the client when it did.
    boolean ownLimit = !parameters.limitGiven();
    QueryRequest request = new QueryRequest(exchange.partition(), level, keys, parameters.fuzzy(), returned,
        parameters.offset(), parameters.limit() + (ownLimit ? 1 : 0));
    Map<Integer, String> creators = privateCreators(returned);
    Map<Integer, String> vrs = new HashMap<>(VRS);
    Map<Integer, String> keywords = new HashMap<>(KEYWORDS);
    for (int tag : returned) {
      engine.catalog().byTag(tag).filter(QueryAttribute::extended).ifPresent(a -> {
        vrs.put(tag, a.vr());
        keywords.put(tag, a.keyword());
      });
      if (engine.catalog().isStored(tag)) {
        DataDictionary.byTag(tag).ifPresent(e -> {
          vrs.put(tag, e.vr());
          keywords.put(tag, e.keyword());
        });
      }
    }
    creators.keySet().forEach(tag -> vrs.put(tag, "LO"));
    List<String> erroneous = engine.erroneousAttributes(keys.keySet());
    if (!erroneous.isEmpty()) exchange.response.getHeaders().put(ERRONEOUS, String.join(",", erroneous));
    ResultWriter writer = format == Format.JSON ? new JsonResults(exchange, vrs)
        : new XmlResults(exchange, vrs, keywords);
    List<Map<Integer, String>> held = new ArrayList<>(); // with the archive's own limit: at most that many
    try {
      engine.find(request, match -> {
        vrs.putAll(match.storedVrs()); // as the instance has it (US or SS, OB or OW)
        Map<Integer, String> values = withDerived(match, exchange.dicomWebBase(), creators);
        if (ownLimit) held.add(values);
        else writer.write(values);
      });
    } catch (InvalidQueryException e) {
      throw new HttpProblem(400, e.getMessage()); // raised before the first match: nothing sent yet
    }
    if (held.size() > parameters.limit()) {
      // PS3.18 8.3.4.4: the client learns that more results match than were returned.
      exchange.response.getHeaders().put(HttpHeader.WARNING, "299 " + exchange.request.getHttpURI().getHost()
          + " \"There are additional results that can be requested\"");
      held.remove(held.size() - 1);
    }
    for (Map<Integer, String> values : held) writer.write(values);
    writer.close(); // not on failure: closing would commit a 200
  }

  private static void pathKey(Map<Integer, String> keys, int tag, String uid) {
    if (uid == null) return;
    if (keys.containsKey(tag)) {
      throw new HttpProblem(400, QueryAttributes.byTag(tag).orElseThrow().keyword()
          + " is given in the path; it cannot also be a query parameter");
    }
    keys.put(tag, uid);
  }

  /**
   * The private creator element (gggg,00xx) of each private extended query tag returned, so the
   * private element in a result is identifiable (PS3.5 7.8.1).
   */
  private Map<Integer, String> privateCreators(Set<Integer> returned) {
    Map<Integer, String> creators = new HashMap<>();
    for (int tag : returned) {
      engine.catalog().byTag(tag).filter(a -> a.extended() && a.extension().privateCreator() != null)
          .ifPresent(a -> creators.put((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF), a.extension().privateCreator()));
    }
    return creators;
  }

  /** Attributes that are not in the index: character set, availability, where to retrieve it. */
  private Map<Integer, String> withDerived(QueryMatch match, String base, Map<Integer, String> creators) {
    TreeMap<Integer, String> values = new TreeMap<>(match.values());
    values.putAll(creators);
    values.put(QueryAttributes.SPECIFIC_CHARACTER_SET, "ISO_IR 192");
    String url = base + "/studies/" + match.get(QueryAttributes.STUDY_INSTANCE_UID);
    if (level != QueryLevel.STUDY) url += "/series/" + match.get(QueryAttributes.SERIES_INSTANCE_UID);
    if (level == QueryLevel.INSTANCE) url += "/instances/" + match.get(QueryAttributes.SOP_INSTANCE_UID);
    values.put(QueryAttributes.RETRIEVE_URL, url);
    if (level != QueryLevel.SERIES) values.put(QueryAttributes.INSTANCE_AVAILABILITY, "ONLINE");
    return values;
  }

  private static Format negotiate(String accept) {
    return Negotiation.xmlRatherThanJson(accept) ? Format.XML : Format.JSON;
  }

  /** Opens the response only with the first match (or at the end), so a late 400 is still possible. */
  private interface ResultWriter {
    void write(Map<Integer, String> values) throws IOException;

    void close() throws IOException;
  }

  private static final class JsonResults implements ResultWriter {
    private final Exchange exchange;
    private final Map<Integer, String> vrs;
    private JsonGenerator json;

    JsonResults(Exchange exchange, Map<Integer, String> vrs) {
      this.exchange = exchange;
      this.vrs = vrs;
    }

    private JsonGenerator json() throws IOException {
      if (json == null) {
        json = exchange.startJson(200, "application/dicom+json");
        json.writeStartArray();
      }
      return json;
    }

    @Override
    public void write(Map<Integer, String> values) throws IOException {
      DicomJsonWriter.write(json(), values, vrs);
    }

    @Override
    public void close() throws IOException {
      json().writeEndArray();
      json.close();
    }
  }

  private static final class XmlResults implements ResultWriter {
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    private final Exchange exchange;
    private final Map<Integer, String> vrs;
    private final Map<Integer, String> keywords;
    private final String boundary = UUID.randomUUID().toString();
    private OutputStream out;

    XmlResults(Exchange exchange, Map<Integer, String> vrs, Map<Integer, String> keywords) {
      this.exchange = exchange;
      this.vrs = vrs;
      this.keywords = keywords;
    }

    private OutputStream out() {
      if (out == null) {
        out = exchange.startBody(200, "multipart/related; type=\"application/dicom+xml\"; boundary=" + boundary);
      }
      return out;
    }

    @Override
    public void write(Map<Integer, String> values) throws IOException {
      out().write(("--" + boundary + "\r\nContent-Type: application/dicom+xml\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        XMLStreamWriter xml = XML.createXMLStreamWriter(out, "UTF-8");
        DicomXmlWriter.write(xml, values, vrs, keywords);
        xml.flush();
      } catch (XMLStreamException e) {
        throw new IOException(e);
      }
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
      out().write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      out.close();
    }
  }
}
