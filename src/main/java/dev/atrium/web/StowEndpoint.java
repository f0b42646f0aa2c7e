package dev.atrium.web;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dicom.DicomUid;
import dev.atrium.store.IncompleteInputException;
import dev.atrium.store.StoreBatch;
import dev.atrium.store.StoreFailure;
import dev.atrium.store.StoreOutcome;
import dev.atrium.store.StoreService;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOW-RS (PS3.18 10.5): each part of a multipart/related; type="application/dicom" body goes
 * through the store funnel as it arrives; the response lists what was stored and what failed.
 * POST applies the configured duplicate policy; PUT is an upsert, as the Azure DICOM service's
 * and Google's DICOM stores offer: an instance already stored is replaced.
 */
final class StowEndpoint implements Route.Endpoint {
  private static final Logger log = LoggerFactory.getLogger(StowEndpoint.class);
  static final String DICOM = "application/dicom";

  private final StoreService store;
  private final DuplicatePolicy duplicatePolicy;
  /**
   * Uploads under way, each holding an HTTP worker thread while its body arrives: at most half of them, so that
   * clients sending slowly (or not at all) cannot take every thread from queries, retrieves and /health.
   */
  private final Semaphore uploads;
  private final int maxUploads;

  StowEndpoint(StoreService store, DuplicatePolicy duplicatePolicy, int maxThreads) {
    this.store = store;
    this.duplicatePolicy = duplicatePolicy;
    this.maxUploads = Math.max(1, maxThreads / 2);
    this.uploads = new Semaphore(maxUploads);
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    if (!uploads.tryAcquire()) {
      throw new HttpProblem(503, maxUploads + " STOW-RS uploads are under way, the most the archive takes at once "
          + "(half of http.maxThreads); retry shortly");
    }
    try {
      store(exchange);
    } finally {
      uploads.release();
    }
  }

  private void store(Exchange exchange) throws Exception {
    String studyUid = exchange.pathParam("study");
    if (studyUid != null) DicomUid.require(studyUid, "StudyInstanceUID in the request URL");
    String boundary = boundaryOf(exchange.header(HttpHeader.CONTENT_TYPE));
    boolean xml = Negotiation.stowResponseAsXml(exchange.header(HttpHeader.ACCEPT)); // a 406 before any part is read

    MultipartRelatedReader reader = new MultipartRelatedReader(exchange.body(), boundary);
    List<StoreOutcome> outcomes = null;
    DuplicatePolicy policy = exchange.request.getMethod().equals("PUT") ? DuplicatePolicy.OVERWRITE : duplicatePolicy;
    try (StoreBatch batch = store.openBatch(exchange.partition(), studyUid, policy)) {
      int number = 0;
      try {
        for (MultipartRelatedReader.Part part; (part = reader.next()) != null; number++) {
          addPart(batch, part, number + 1);
        }
      } catch (MalformedMultipartException | IncompleteInputException e) {
        outcomes = new ArrayList<>(batch.finish()); // complete parts before the fault are stored and stay stored
        boolean stalled = stalled(e);
        String fault = stalled ? "the request body stalled: nothing arrived for http.idleTimeoutSeconds"
            : "malformed multipart body: " + e.getMessage();
        if (outcomes.stream().noneMatch(StoreOutcome::succeeded)) throw new HttpProblem(stalled ? 408 : 400, fault);
        // PS3.18 10.5.3: 400 says nothing was stored. Some were: they are reported, and the fault as a failure (202).
        outcomes.add(StoreOutcome.failed(StoreFailure.PROCESSING_FAILURE, "nothing after part " + number
            + " was stored: " + fault));
      }
      if (outcomes == null) outcomes = batch.finish();
    }
    if (outcomes.isEmpty()) throw new HttpProblem(400, "the request has no parts");
    for (int i = 0; i < outcomes.size(); i++) {
      StoreOutcome o = outcomes.get(i);
      if (!o.succeeded()) log.info("STOW part {} not stored ({}): {}", i + 1, o.failure(), o.message());
      else if (o.studyInstanceUid() != null) exchange.auditStudy(o.studyInstanceUid());
    }
    StowResponse.write(exchange, studyUid, outcomes, xml);
  }

  private static void addPart(StoreBatch batch, MultipartRelatedReader.Part part, int number) throws IOException {
    String contentType = part.header("content-type");
    if (contentType != null && !MediaType.parse(contentType).is(DICOM)) {
      part.body().transferTo(OutputStream.nullOutputStream());
      batch.reject(StoreOutcome.failed(StoreFailure.VALIDATION_FAILED,
          "part " + number + " has Content-Type " + contentType + "; STOW-RS parts must be " + DICOM));
      return;
    }
    batch.add(part.body());
  }

  /** Whether reading the body ended because the client sent nothing for the idle timeout. */
  private static boolean stalled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) return true;
    }
    return false;
  }

  /** PS3.18 10.5.1.1: multipart/related with type application/dicom; other media types get 415. */
  static String boundaryOf(String contentType) {
    if (contentType == null) {
      throw new HttpProblem(415, "missing Content-Type; STOW-RS takes multipart/related; type=\"" + DICOM + "\"");
    }
    MediaType type = MediaType.parse(contentType);
    if (!type.is("multipart/related")) {
      throw new HttpProblem(415, "Content-Type " + type.type() + " is not supported; STOW-RS takes "
          + "multipart/related; type=\"" + DICOM + "\"");
    }
    String partType = type.parameter("type");
    if (partType != null && !MediaType.parse(partType).is(DICOM)) {
      throw new HttpProblem(415, "multipart/related type=\"" + partType + "\" is not supported; only " + DICOM);
    }
    String boundary = type.parameter("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new HttpProblem(400, "multipart/related Content-Type without a valid boundary parameter (RFC 2046 5.1.1)");
    }
    return boundary;
  }
}
