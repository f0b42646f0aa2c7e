package dev.atrium.web;

import dev.atrium.dicom.DicomJsonEncoder;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS metadata (PS3.18 10.4.1.1.2) of a study, series or instance: the documents built at
 * store time, concatenated into one DICOM JSON array as the instances stream from the index, or
 * on request each converted to PS3.19 XML in one part of a multipart/related body. No file is
 * parsed per request.
 */
final class MetadataEndpoint implements Route.Endpoint {
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
  private static final String DICOM_XML = "application/dicom+xml";

  private enum Format { JSON, XML }

  private final RetrieveService retrieve;
  private final WadoEndpoint.Level level;

  MetadataEndpoint(RetrieveService retrieve, WadoEndpoint.Level level) {
    this.retrieve = retrieve;
    this.level = level;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    Format format = negotiate(exchange.header(HttpHeader.ACCEPT));
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    String base = exchange.dicomWebBase();
    Documents out;
    if (level == WadoEndpoint.Level.INSTANCE) {
      StoredInstance instance = retrieve.findInstance(exchange.partition(), study, series, exchange.pathParam("instance"))
          .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
      out = format == Format.JSON ? new JsonArray(exchange) : new XmlParts(exchange);
      out.write(document(instance, base));
    } else {
      if (retrieve.storedSyntaxes(exchange.partition(), study, series).isEmpty()) {
        throw new HttpProblem(404, "no such " + level.name().toLowerCase() + " in this archive");
      }
      Documents documents = format == Format.JSON ? new JsonArray(exchange) : new XmlParts(exchange);
      retrieve.forEachInstance(exchange.partition(), study, series, i -> documents.write(document(i, base)));
      out = documents;
    }
    out.close();
  }

  /** The stored DICOM JSON with the BulkDataURI placeholder made the instance's URL. */
  private byte[] document(StoredInstance i, String base) throws IOException {
    String url = base + "/studies/" + i.studyInstanceUid() + "/series/" + i.seriesInstanceUid() + "/instances/"
        + i.sopInstanceUid();
    String document = new String(retrieve.metadata(i), StandardCharsets.UTF_8);
    return document.replace(DicomJsonEncoder.INSTANCE_URL, url).getBytes(StandardCharsets.UTF_8);
  }

  private static Format negotiate(String accept) {
    return Negotiation.xmlRatherThanJson(accept) ? Format.XML : Format.JSON;
  }

  private interface Documents {
    void write(byte[] json) throws IOException;

    void close() throws IOException;
  }

  private static final class JsonArray implements Documents {
    private final OutputStream out;
    private boolean first = true;

    JsonArray(Exchange exchange) throws IOException {
      out = exchange.startBody(200, "application/dicom+json");
      out.write('[');
    }

    @Override
    public void write(byte[] json) throws IOException {
      if (!first) out.write(',');
      first = false;
      out.write(json);
    }

    @Override
    public void close() throws IOException {
      out.write(']');
      out.close();
    }
  }

  private static final class XmlParts implements Documents {
    private final MultipartWriter out;

    XmlParts(Exchange exchange) {
      out = new MultipartWriter(exchange, DICOM_XML);
    }

    @Override
    public void write(byte[] json) throws IOException {
      try {
        XMLStreamWriter xml = XML.createXMLStreamWriter(out.part(DICOM_XML, -1), "UTF-8");
        DicomJsonToXml.convert(json, xml);
        xml.flush();
      } catch (XMLStreamException e) {
        throw new IOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
