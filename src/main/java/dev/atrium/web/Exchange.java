package dev.atrium.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.atrium.audit.AuditPatients;
import dev.atrium.partition.Partitions;
import dev.atrium.security.Principal;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;

/** One HTTP request and its response, with the path captures of the route that matched. */
final class Exchange {
  static final JsonFactory JSON = new JsonFactory();
  /** What a body written through {@link #respond} holds back before its first byte is sent. */
  static final int HELD_BYTES = 64 * 1024;

  final Request request;
  final Response response;
  private final Matcher path;
  private final String baseUrl;
  private final String partition;
  private final String partitionPrefix;
  private final Principal principal;
  private final long maxRequestBytes;
  private final Set<String> auditedStudies = new LinkedHashSet<>();
  private final List<AuditPatients.Patient> auditedPatients = new ArrayList<>();

  /**
   * {@code partitionPrefix} is "" for the default partition, or "/partitions/{name}" when the
   * request came in under one; RetrieveURLs keep it so a client stays in its partition.
   */
  Exchange(Request request, Response response, Matcher path, String baseUrl, String partition,
      String partitionPrefix, Principal principal, long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
    this.principal = principal;
    this.request = request;
    this.response = response;
    this.path = path;
    this.baseUrl = baseUrl;
    this.partition = partition;
    this.partitionPrefix = partitionPrefix;
  }

  /** Who is calling (for the audit trail); {@link Principal#ANONYMOUS} when security is off. */
  Principal principal() {
    return principal;
  }

  /** Studies this request touched, beyond the one in its path: what the audit record names. */
  void auditStudy(String studyUid) {
    auditedStudies.add(studyUid);
  }

  Set<String> auditedStudies() {
    return auditedStudies;
  }

  /** A patient the audit record names that a lookup after the request could not find (a deleted study's). */
  void auditPatient(String patientId, String patientName) {
    auditedPatients.add(new AuditPatients.Patient(patientId, patientName));
  }

  List<AuditPatients.Patient> auditedPatients() {
    return auditedPatients;
  }

  /** The data partition the request addresses: the default one, or /dicom-web/partitions/{name}/…. */
  String partition() {
    return partition;
  }

  /** A named capture of the route's path pattern, or null when the pattern has none by that name. */
  String pathParam(String name) {
    return path.pattern().pattern().contains("(?<" + name + ">") ? path.group(name) : null;
  }

  String header(HttpHeader header) {
    return request.getHeaders().get(header);
  }

  /** Public URL of the DICOMweb root, for RetrieveURL values. */
  String dicomWebBase() {
    return baseUrl + "/dicom-web" + partitionPrefix;
  }

  /** Whether the request named a partition (/dicom-web/partitions/{name}/…), not only the default one implied. */
  boolean partitioned() {
    return !partitionPrefix.isEmpty();
  }

  /** Public URL of the DICOMweb root of a partition. */
  String dicomWebBase(String partition) {
    return baseUrl + "/dicom-web" + (Partitions.DEFAULT.equals(partition) ? "" : "/partitions/" + partition);
  }

  /** The request body; reading past the size limit throws a 413 (a chunked body declares no length). */
  InputStream body() {
    return new LimitedInputStream(Content.Source.asInputStream(request), maxRequestBytes);
  }

  OutputStream startBody(int status, String contentType) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    OutputStream sink = Content.Sink.asOutputStream(response);
    return head() ? new FilterOutputStream(sink) { // the content is counted and dropped
      private long length;

      @Override
      public void write(int b) {
        length++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        length += len;
      }

      @Override
      public void close() throws IOException {
        declareLength(response, length);
        super.close();
      }
    } : sink;
  }

  /**
   * A HEAD response's Content-Length: the GET's, whose body would have been whole at its end. Jetty would otherwise
   * take the empty last write for the whole content and declare 0; a length the endpoint declared stays.
   */
  static void declareLength(Response response, long length) {
    if (!response.isCommitted() && !response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    }
  }

  /**
   * Ends a HEAD whose content was counted only until its status was settled ({@link HeadSettled}): the header fields
   * without a Content-Length the endpoint did not declare itself, which RFC 9110 9.3.2 lets a HEAD leave out when only
   * making the content would tell it. The header goes out in a first, empty write that does not end the body: Jetty
   * would take an empty end for the whole content and declare a length of 0.
   */
  static void endSettledHead(Response response) throws IOException {
    writeEmpty(response, false);
    writeEmpty(response, true);
  }

  private static void writeEmpty(Response response, boolean last) throws IOException {
    try (Blocker.Callback written = Blocker.callback()) {
      response.write(last, BufferUtil.EMPTY_BUFFER, written);
      written.block();
    }
  }

  /** A HEAD request (RFC 9110 9.3.2): answered as GET, with the content left out. */
  boolean head() {
    return "HEAD".equals(request.getMethod());
  }

  /** Writes a response body. */
  @FunctionalInterface
  interface BodyWriter {
    void write(OutputStream body) throws Exception;
  }

  /**
   * A body that {@code writer} writes, ended only if it returns. If it throws, the router answers the failure when
   * nothing was sent yet (the first {@link #HELD_BYTES} are held back), and aborts the response otherwise: a client
   * never takes a body cut short (a transcoding that failed halfway) for a whole one. A HEAD makes the content only as
   * far as that: its status is then the GET's, and the rest would not change it ({@link HeadSettled}).
   */
  void respond(int status, String contentType, BodyWriter writer) throws Exception {
    OutputStream body = new BufferedOutputStream(startBody(status, contentType), HELD_BYTES);
    try {
      writer.write(head() ? new HeldOnly(body) : body);
    } catch (HeadSettled settled) {
      endSettledHead(response);
      return;
    }
    body.close();
  }

  /** A HEAD's body: counted as the GET would hold it back, then settled. */
  private static final class HeldOnly extends FilterOutputStream {
    private long written;

    HeldOnly(OutputStream counted) {
      super(counted);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      written += len;
      if (written > HELD_BYTES) throw new HeadSettled();
      out.write(b, off, len);
    }
  }

  /** As {@link #startBody}, through a pooled direct buffer that can also take file regions. */
  DirectBody startDirectBody(int status, String contentType) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    return new DirectBody(response, head());
  }

  JsonGenerator startJson(int status, String contentType) throws IOException {
    return JSON.createGenerator(startBody(status, contentType));
  }
}
