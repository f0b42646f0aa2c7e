package dev.atrium.web;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dicom.DicomUid;
import dev.atrium.store.IncompleteInputException;
import dev.atrium.store.StoreFailure;
import dev.atrium.store.StoreOutcome;
import dev.atrium.store.StoreService;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOW-RS (PS3.18 10.5): each part of a multipart/related; type="application/dicom" body goes
 * through the store funnel as it arrives; the response lists what was stored and what failed.
 */
final class StowEndpoint implements Route.Endpoint {
  private static final Logger log = LoggerFactory.getLogger(StowEndpoint.class);
  static final String DICOM = "application/dicom";

  private final StoreService store;
  private final String partition;
  private final DuplicatePolicy duplicatePolicy;

  StowEndpoint(StoreService store, String partition, DuplicatePolicy duplicatePolicy) {
    this.store = store;
    this.partition = partition;
    this.duplicatePolicy = duplicatePolicy;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String studyUid = exchange.pathParam("study");
    if (studyUid != null) DicomUid.require(studyUid, "StudyInstanceUID in the request URL");
    String boundary = boundaryOf(exchange.header(HttpHeader.CONTENT_TYPE));

    List<StoreOutcome> outcomes = new ArrayList<>();
    MultipartRelatedReader reader = new MultipartRelatedReader(exchange.body(), boundary);
    try {
      for (MultipartRelatedReader.Part part; (part = reader.next()) != null; ) {
        outcomes.add(storePart(part, studyUid, outcomes.size() + 1));
      }
    } catch (MalformedMultipartException | IncompleteInputException e) {
      String stored = outcomes.stream().filter(StoreOutcome::succeeded).count() + " earlier part(s) were stored";
      throw new HttpProblem(400, "malformed multipart body: " + e.getMessage() + "; " + stored);
    }
    if (outcomes.isEmpty()) throw new HttpProblem(400, "the request has no parts");
    StowResponse.write(exchange, studyUid, outcomes);
  }

  private StoreOutcome storePart(MultipartRelatedReader.Part part, String studyUid, int number) throws IOException {
    String contentType = part.header("content-type");
    if (contentType != null && !MediaType.parse(contentType).is(DICOM)) {
      part.body().transferTo(OutputStream.nullOutputStream());
      return new StoreOutcome(StoreOutcome.Status.FAILED, StoreFailure.VALIDATION_FAILED,
          "part " + number + " has Content-Type " + contentType + "; STOW-RS parts must be " + DICOM,
          null, null, null, null);
    }
    StoreOutcome outcome = store.storeFile(partition, part.body(), studyUid, duplicatePolicy);
    if (!outcome.succeeded()) {
      log.info("STOW part {} not stored ({}): {}", number, outcome.failure(), outcome.message());
    }
    return outcome;
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
