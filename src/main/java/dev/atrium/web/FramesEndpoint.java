package dev.atrium.web;

import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.StoredFrames;
import dev.atrium.dicom.TransferSyntax;
import dev.atrium.dicom.UnsupportedTranscodingException;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * WADO-RS frames (PS3.18 10.4.1.1.5, 8.7.3.5): the listed frames of an instance, each one part of
 * a multipart/related body. Native frames go as application/octet-stream (little endian);
 * compressed frames in their own media type (image/jpeg, image/jls, image/jp2, image/dicom-rle …,
 * PS3.18 Table 8.7.3-5) with the stored transfer syntax, or decoded to application/octet-stream
 * when that is asked for and a codec exists. Only the frames asked for are read.
 */
final class FramesEndpoint implements Route.Endpoint {
  /** Names clients also use (dicomweb-client: image/x-jls, image/x-dicom-rle, image/jhc) for the standard ones. */
  private static final Map<String, String> ALIASES = Map.of("image/x-jls", "image/jls",
      "image/x-dicom-rle", "image/dicom-rle", "image/jhc", "image/jphc");
  private static final String OCTET_STREAM = TransferSyntax.OCTET_STREAM;

  /**
   * What each part is: its media type, the transfer syntax it is in, and whether frames are decoded; {@code single}
   * when one frame goes as the whole body, not as a part.
   */
  private record Choice(String mediaType, String transferSyntax, boolean decode, boolean single) {
    Choice(String mediaType, String transferSyntax, boolean decode) {
      this(mediaType, transferSyntax, decode, false);
    }

    String contentType() {
      return mediaType + "; transfer-syntax=" + transferSyntax;
    }

    Choice asSingle() {
      return new Choice(mediaType, transferSyntax, decode, true);
    }
  }

  private final RetrieveService retrieve;

  FramesEndpoint(RetrieveService retrieve) {
    this.retrieve = retrieve;
  }

  @Override
  public void serve(Exchange exchange) throws Exception {
    int[] numbers = frameList(exchange.pathParam("frames"));
    StoredInstance instance = retrieve.findInstance(exchange.partition(), exchange.pathParam("study"),
            exchange.pathParam("series"), exchange.pathParam("instance"))
        .orElseThrow(() -> new HttpProblem(404, "no such instance in this archive"));
    StoredFrames frames = retrieve.frames(instance)
        .orElseThrow(() -> new HttpProblem(400, "the instance has no Pixel Data, so it has no frames"));
    respond(exchange, frames, numbers);
  }

  /**
   * Every frame of encapsulated Pixel Data, for its BulkDataURI (PS3.18 8.7.3.5: compressed bulk data in its own
   * media type, one part per frame), negotiated as /frames is.
   */
  void allFrames(Exchange exchange, StoredInstance instance) throws Exception {
    StoredFrames frames = retrieve.frames(instance)
        .orElseThrow(() -> new HttpProblem(404, "the instance has no Pixel Data"));
    int[] numbers = new int[frames.numberOfFrames()];
    for (int i = 0; i < numbers.length; i++) numbers[i] = i + 1;
    respond(exchange, frames, numbers);
  }

  private void respond(Exchange exchange, StoredFrames frames, int[] numbers) throws Exception {
    if (!frames.transferSyntax().encapsulated() && !frames.pixels().framesByteAligned()) {
      throw new HttpProblem(406, "the frames of this instance are bit-packed across byte boundaries (Bits Allocated "
          + frames.pixels().bitsAllocated() + ") and cannot be sent one by one; retrieve the instance or /bulkdata");
    }
    for (int n : numbers) {
      if (n > frames.numberOfFrames()) {
        throw new HttpProblem(400, "frame " + n + " is out of range: the instance has " + frames.numberOfFrames()
            + (frames.numberOfFrames() == 1 ? " frame" : " frames"));
      }
    }
    Choice choice = negotiate(exchange.header(HttpHeader.ACCEPT), frames, numbers.length == 1);
    if (choice.single()) {
      write(frames, numbers[0], choice, (contentType, length) -> {
        if (length >= 0) exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        return exchange.startBody(200, contentType);
      });
      return;
    }
    MultipartWriter.respond(exchange, choice.mediaType(), null, out -> {
      for (int n : numbers) write(frames, n, choice, out::part);
    });
  }

  /** Where a frame goes: a part of a multipart body, or the single body; length -1 when not known. */
  @FunctionalInterface
  private interface FrameSink {
    OutputStream open(String contentType, long length) throws IOException;
  }

  private static void write(StoredFrames frames, int n, Choice choice, FrameSink sink) throws IOException {
    boolean nativeFrames = !frames.transferSyntax().encapsulated();
    try {
      if (choice.decode()) {
        byte[] decoded = frames.decode(n);
        sink.open(choice.contentType(), decoded.length).write(decoded);
      } else {
        OutputStream part = sink.open(choice.contentType(), nativeFrames ? frames.pixels().frameLength() : -1);
        frames.copy(n, part);
      }
    } catch (DicomParseException e) {
      throw new IOException("frame " + n + " cannot be read: " + e.getMessage(), e);
    } catch (UnsupportedTranscodingException e) {
      throw new HttpProblem(406, e.getMessage()); // a 406 if nothing was sent yet, else an aborted response
    }
  }

  /** "1,3,5" (PS3.18 10.4.1.1.5: a comma-separated list of frame numbers, each at least 1). */
  static int[] frameList(String text) {
    if (text == null || !text.matches("[0-9]+(,[0-9]+)*")) {
      throw new HttpProblem(400, "frames are listed as comma-separated numbers from 1, e.g. /frames/1,3; not '"
          + text + "'");
    }
    String[] parts = text.split(",");
    int[] numbers = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        numbers[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        numbers[i] = Integer.MAX_VALUE; // out of range below
      }
      if (numbers[i] < 1) throw new HttpProblem(400, "frame numbers start at 1, not " + parts[i]);
    }
    return numbers;
  }

  /**
   * PS3.18 8.7.3.5: the most preferred multipart range whose part type and transfer syntax we can produce; for
   * {@code oneFrame}, a single-part application/octet-stream or the stored media type too (as the Azure DICOM
   * service serves a single frame).
   */
  private static Choice negotiate(String accept, StoredFrames frames, boolean oneFrame) {
    TransferSyntax stored = frames.transferSyntax();
    String storedType = stored.encapsulated() ? stored.frameMediaType() : OCTET_STREAM;
    String served = stored.encapsulated()
        ? "multipart/related; type=\"" + storedType + "\" (frames as stored, " + stored.describe()
            + ") or type=\"application/octet-stream\" (decoded, where a codec exists)"
        : "multipart/related; type=\"application/octet-stream\" (frames are stored uncompressed)";
    return Negotiation.choose(accept, range -> {
      MediaType part = range.partType();
      if (part == null) {
        if (!oneFrame || range.isWildcard()) return null;
        String type = ALIASES.getOrDefault(range.type(), range.type());
        if (type.equals(OCTET_STREAM)) return octetStream(frames, range.transferSyntax()).asSingle();
        boolean asStored = type.equals(storedType) && (range.transferSyntax() == null
            || range.transferSyntax().equals("*") || range.transferSyntax().equals(stored.uid()));
        return asStored ? asStored(stored, storedType).asSingle() : null;
      }
      if (storedType.equals(TransferSyntax.VIDEO)) {
        throw new Negotiation.Unacceptable(stored.describe() + " is one video stream, not served frame by frame");
      }
      String asked = range.transferSyntax();
      if (part.isWildcard()) {
        if (part.covers(storedType) && (asked == null || asked.equals("*") || asked.equals(stored.uid()))) {
          return asStored(stored, storedType);
        }
        return part.covers(OCTET_STREAM) ? octetStream(frames, asked) : null;
      }
      String type = ALIASES.getOrDefault(part.type(), part.type());
      if (type.equals(OCTET_STREAM)) return octetStream(frames, asked);
      if (type.equals(storedType)) {
        if (asked == null || asked.equals("*") || asked.equals(stored.uid())) {
          return new Choice(part.type(), stored.uid(), false);
        }
        throw new Negotiation.Unacceptable("frames are stored as " + stored.describe() + " and are not re-encoded into "
            + TransferSyntax.of(asked).describe());
      }
      if (TransferSyntax.defaultForFrameMediaType(type) != null) {
        throw new Negotiation.Unacceptable("frames are stored as " + stored.describe()
            + "; this archive does not compress frames into " + part.type());
      }
      return null;
    }, served);
  }

  private static Choice asStored(TransferSyntax stored, String storedType) {
    // Native frames always go out little endian (a big endian file's words are swapped).
    return new Choice(storedType, stored.encapsulated() ? stored.uid() : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
        false);
  }

  /**
   * application/octet-stream: "*" is the frames as stored, whatever their syntax (what OHIF asks
   * for); no parameter or a little endian native syntax means native pixels, decoded if need be.
   */
  private static Choice octetStream(StoredFrames frames, String asked) throws Negotiation.Unacceptable {
    TransferSyntax stored = frames.transferSyntax();
    if ("*".equals(asked) || stored.uid().equals(asked)) {
      return new Choice(OCTET_STREAM, stored.encapsulated() ? stored.uid() : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
          false);
    }
    boolean littleEndianNative = asked == null || asked.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
        || asked.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    if (!littleEndianNative) {
      throw new Negotiation.Unacceptable("frames are stored as " + stored.describe() + ", not available as "
          + TransferSyntax.of(asked).describe());
    }
    if (!stored.encapsulated()) return new Choice(OCTET_STREAM, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false);
    try {
      frames.checkDecodable();
    } catch (UnsupportedTranscodingException e) {
      throw new Negotiation.Unacceptable(e.getMessage());
    }
    return new Choice(OCTET_STREAM, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true);
  }
}
