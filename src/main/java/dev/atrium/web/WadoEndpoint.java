package dev.atrium.web;

import dev.atrium.dicom.UnsupportedTranscodingException;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.PinnedInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS retrieve of a study, a series or an instance (PS3.18 10.4.1.1.1) as
 * multipart/related; type="application/dicom" (an instance may also be a single
 * application/dicom body). The transfer-syntax parameter of the Accept header picks the
 * syntax: "*", or none (Atrium's default, as the retrieve issue asks), sends the stored bytes
 * unchanged; a named one transcodes where {@link RetrieveService#canTranscode} allows. Instances
 * stream one after another through a bounded buffer.
 */
final class WadoEndpoint implements Route.Endpoint {
  private static final String SERVED = "multipart/related; type=\"application/dicom\" (or a single application/dicom "
      + "instance), with transfer-syntax=* (as stored) or a native syntax the stored one can be decoded into";

  enum Level { STUDY, SERIES, INSTANCE }

  private enum Packaging { MULTIPART, SINGLE }

  /** How the instances go out: packaging, and the transfer syntax ("*" for as stored). */
  private record Choice(Packaging packaging, String transferSyntax) {}

  private final RetrieveService retrieve;
  private final Level level;

  WadoEndpoint(RetrieveService retrieve, Level level) {
    this.retrieve = retrieve;
    this.level = level;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    String study = exchange.pathParam("study");
    String series = exchange.pathParam("series");
    String accept = exchange.header(HttpHeader.ACCEPT);
    if (level == Level.INSTANCE) {
      StoredInstance instance = retrieve.findInstance(exchange.partition(), study, series, exchange.pathParam("instance"))
          .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
      Choice choice = negotiate(accept, List.of(instance.transferSyntaxUid()), true);
      check(instance, choice.transferSyntax());
      if (choice.packaging() == Packaging.SINGLE) {
        String syntax = choice.transferSyntax();
        respondSingle(exchange, retrieve, instance, syntax, partType(instance, syntax),
            "instance " + instance.sopInstanceUid() + ": ");
        return;
      }
      respond(exchange, choice.transferSyntax(), null, List.of(instance));
      return;
    }
    List<String> syntaxes = retrieve.storedSyntaxes(exchange.partition(), study, series);
    if (syntaxes.isEmpty()) throw new HttpProblem(404, "no such " + level.name().toLowerCase() + " in this archive");
    Choice choice = negotiate(accept, syntaxes, false);
    if (choice.transferSyntax().equals(RetrieveService.AS_STORED)) {
      // Every part's size is in the index: list them (UIDs and sizes, not bytes) and declare the
      // whole length, so clients read one body of known size rather than decode chunks.
      List<StoredInstance> instances = new ArrayList<>();
      retrieve.forEachInstance(exchange.partition(), study, series, instances::add);
      List<MultipartWriter.PartSize> sizes = new ArrayList<>(instances.size());
      for (StoredInstance instance : instances) {
        sizes.add(new MultipartWriter.PartSize(partType(instance, choice.transferSyntax()), instance.blobSize()));
      }
      respond(exchange, choice.transferSyntax(), sizes, instances);
      return;
    }
    // Each instance checked before the body starts: one that cannot be sent in the syntax asked is a 406, not a
    // part left out (a frame that still fails to decode aborts the response: see respond).
    List<StoredInstance> instances = new ArrayList<>();
    retrieve.forEachInstance(exchange.partition(), study, series, instances::add);
    for (StoredInstance instance : instances) check(instance, choice.transferSyntax());
    respond(exchange, choice.transferSyntax(), null, instances);
  }

  /**
   * One instance as a single body in {@code target} (checked transcodable): as stored with its length declared, else
   * transcoded. A frame that still fails to decode is a 406 naming the failure after {@code problemPrefix}.
   */
  static void respondSingle(Exchange exchange, RetrieveService retrieve, StoredInstance instance, String target,
      String contentType, String problemPrefix) throws Exception {
    if (asStored(instance, target)) {
      exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, instance.blobSize());
    }
    exchange.respond(200, contentType, out -> {
      try {
        retrieve.writeAs(instance, target, out, true);
      } catch (UnsupportedTranscodingException e) { // a 406 if nothing was sent yet, else an aborted response
        throw new HttpProblem(406, problemPrefix + e.getMessage());
      }
    });
  }

  /** The instances as the parts of one multipart/related body, streamed from the store. */
  private void respond(Exchange exchange, String transferSyntax, List<MultipartWriter.PartSize> sizes,
      List<StoredInstance> instances) throws Exception {
    MultipartWriter.respond(exchange, StowEndpoint.DICOM, sizes, out -> {
      for (StoredInstance instance : instances) part(out, instance, transferSyntax);
    });
  }

  private void check(StoredInstance instance, String transferSyntax) throws IOException {
    try {
      retrieve.checkTranscodable(instance, transferSyntax);
    } catch (UnsupportedTranscodingException e) {
      throw new HttpProblem(406, "instance " + instance.sopInstanceUid() + ": " + e.getMessage());
    }
  }

  private static boolean asStored(StoredInstance instance, String transferSyntax) {
    return transferSyntax.equals(RetrieveService.AS_STORED) || transferSyntax.equals(instance.transferSyntaxUid());
  }

  private static String partType(StoredInstance instance, String transferSyntax) {
    return StowEndpoint.DICOM + "; transfer-syntax="
        + (asStored(instance, transferSyntax) ? instance.transferSyntaxUid() : transferSyntax);
  }

  private void part(MultipartWriter out, StoredInstance instance, String transferSyntax) throws IOException {
    // A transcoded part's length is not known ahead; the boundary delimits it (RFC 2046 5.1).
    long length = asStored(instance, transferSyntax) ? instance.blobSize() : -1;
    // Pinned before its part starts: a delete from now on cannot cut the part short.
    try (PinnedInstance pinned = retrieve.pin(instance)) {
      if (length >= 0) {
        out.part(partType(instance, transferSyntax), pinned.channel(), length);
        return;
      }
      OutputStream body = out.part(partType(instance, transferSyntax), length);
      retrieve.writeAs(pinned, transferSyntax, body, true);
    } catch (UnsupportedTranscodingException e) {
      throw new HttpProblem(406, "instance " + instance.sopInstanceUid() + ": " + e.getMessage());
    }
  }

  /**
   * PS3.18 8.7: the most preferred range that covers application/dicom, alone or as the parts of
   * multipart/related, with a transfer syntax every stored syntax can be sent as.
   */
  private Choice negotiate(String accept, List<String> storedSyntaxes, boolean singleAllowed) {
    return Negotiation.choose(accept, range -> {
      MediaType part = range.partType();
      Packaging packaging;
      if (part != null && part.covers(StowEndpoint.DICOM)) packaging = Packaging.MULTIPART;
      else if (range.covers(StowEndpoint.DICOM)) packaging = Packaging.SINGLE;
      else return null;
      if (packaging == Packaging.SINGLE && !singleAllowed) {
        throw new Negotiation.Unacceptable("a " + level.name().toLowerCase() + " is returned as multipart/related; "
            + "type=\"application/dicom\", not as a single application/dicom body");
      }
      String syntax = range.transferSyntax() == null ? RetrieveService.AS_STORED : range.transferSyntax();
      for (String stored : storedSyntaxes) {
        if (!RetrieveService.canTranscode(stored, syntax)) {
          throw new Negotiation.Unacceptable(RetrieveService.whyNotTranscodable(stored, syntax));
        }
      }
      return new Choice(packaging, syntax);
    }, SERVED);
  }
}
