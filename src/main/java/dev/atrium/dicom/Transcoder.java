package dev.atrium.dicom;

import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Re-encodes a stored instance in another transfer syntax while streaming it, element by
 * element (PS3.5 A): between the native syntaxes (implicit/explicit VR little endian, explicit VR
 * big endian, deflated), and from an encapsulated syntax to a native one by decoding one frame at
 * a time. Encoding into a compressed syntax is not offered. VRs an implicit data set leaves out
 * come from the data dictionary; group lengths are dropped (PS3.5 7.2: they would no longer be
 * true); sequences and items are written with undefined lengths.
 */
public final class Transcoder {
  private static final int BUFFER = 64 * 1024;

  private final DicomHeaderReader.Source source;
  private final TransferSyntax target;
  private final ImagePixels.Collector module = new ImagePixels.Collector();
  private final byte[] buffer = new byte[BUFFER];
  private ElementReader reader;
  private ElementWriter writer;
  private TransferSyntax stored;
  /** The frames to decode when the stored syntax is encapsulated; null otherwise. */
  private StoredFrames frames;

  private Transcoder(DicomHeaderReader.Source source, String target) {
    this.source = source;
    this.target = TransferSyntax.of(target);
  }

  /** By syntax alone: as stored always; into a native syntax from a native one, or from a decodable one. */
  public static boolean canTranscode(String from, String to) {
    if (from.equals(to)) return true;
    if (!TransferSyntax.isNative(to)) return false;
    return TransferSyntax.isNative(from) || FrameDecoders.canDecode(from);
  }

  /** Why {@code from} cannot become {@code to}; for a 406 message. Only meaningful when canTranscode is false. */
  public static String whyNot(String from, String to) {
    TransferSyntax source = TransferSyntax.of(from);
    TransferSyntax wanted = TransferSyntax.of(to);
    if (!TransferSyntax.isNative(to)) {
      return "instances stored as " + source.describe() + " are not compressed into " + wanted.describe()
          + " by this archive";
    }
    return "no codec in this archive decodes " + source.describe() + " (into " + wanted.describe() + ")";
  }

  /**
   * Checks this instance before anything is sent: the syntaxes, and for an encapsulated one
   * that its frames can be decoded (e.g. not 12-bit lossy JPEG).
   */
  public static void check(DicomHeaderReader.Source source, String from, String to)
      throws IOException, UnsupportedTranscodingException {
    if (from.equals(to)) return;
    if (!canTranscode(from, to)) throw new UnsupportedTranscodingException(whyNot(from, to));
    if (!TransferSyntax.isNative(from)) {
      try {
        Optional<StoredFrames> frames = StoredFrames.open(source);
        if (frames.isPresent()) frames.get().checkDecodable(); // else nothing to decode
      } catch (DicomParseException e) {
        throw new IOException("the stored instance cannot be read: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Writes the instance in transfer syntax {@code to}: a PS3.10 file when {@code part10} (its
   * File Meta Information naming the SOP Class and Instance given, as indexed), else the bare
   * data set (as a C-STORE sub-operation sends it). As stored when {@code to} is the stored syntax.
   */
  public static void transcode(DicomHeaderReader.Source source, String to, OutputStream out, boolean part10,
      String sopClassUid, String sopInstanceUid) throws IOException, DicomParseException,
      UnsupportedTranscodingException {
    new Transcoder(source, to).run(out, part10, sopClassUid, sopInstanceUid);
  }

  private void run(OutputStream out, boolean part10, String sopClassUid, String sopInstanceUid)
      throws IOException, DicomParseException, UnsupportedTranscodingException {
    try (Part10File file = Part10File.open(source)) {
      stored = file.syntax;
      if (stored.uid().equals(target.uid())) {
        if (part10) {
          try (InputStream whole = source.open()) {
            whole.transferTo(out);
          }
        } else {
          file.storedDataSet.transferTo(out);
        }
        return;
      }
      if (!canTranscode(stored.uid(), target.uid())) {
        throw new UnsupportedTranscodingException(whyNot(stored.uid(), target.uid()));
      }
      if (stored.encapsulated()) frames = framesToDecode();
      if (part10) Part10Writer.writeHeader(out, sopClassUid, sopInstanceUid, target.uid(), null);
      OutputStream body = target.deflated()
          ? new DeflaterOutputStream(new Unclosable(out), new Deflater(Deflater.DEFAULT_COMPRESSION, true), BUFFER)
          : out;
      reader = file.reader;
      writer = new ElementWriter(body, target.explicitVr(), target.littleEndian());
      copyElements(0, -1);
      if (body instanceof DeflaterOutputStream deflater) deflater.finish();
    } catch (ElementReader.BrokenElementException | EOFException e) {
      throw new DicomParseException(e.getMessage(), e);
    }
  }

  private StoredFrames framesToDecode() throws IOException, DicomParseException, UnsupportedTranscodingException {
    StoredFrames found = StoredFrames.open(source).orElse(null);
    if (found != null) found.checkDecodable();
    return found;
  }

  /** The elements of the data set (depth 0) or of an item, up to {@code end} or the item's delimiter. */
  private void copyElements(int depth, long end) throws IOException, DicomParseException,
      UnsupportedTranscodingException {
    while (end < 0 || reader.position() < end) {
      if (!reader.next()) {
        if (depth == 0) return;
        throw new EOFException("the file ends inside an item (truncated)");
      }
      int tag = reader.tag;
      if (tag == ElementReader.ITEM_DELIMITER) return;
      if ((tag >>> 16) == 0xFFFE) throw ElementReader.broken(tag, "found among data elements");
      if ((tag & 0xFFFF) == 0) {
        reader.skipValue();
        continue;
      }
      String vr = reader.vr != null ? reader.vr
          : DataDictionary.vr(tag, module.bitsAllocated(), module.pixelRepresentation());
      if (depth == 0 && tag == ElementReader.PIXEL_DATA && reader.length == ElementReader.UNDEFINED) {
        decodedPixelData();
      } else if (vr.equals("SQ") || reader.length == ElementReader.UNDEFINED) {
        copySequence(tag, depth);
      } else if (depth == 0 && ImagePixels.Collector.wanted(tag) && reader.length <= 64) {
        byte[] value = reader.value();
        module.accept(tag, value, reader.littleEndian());
        writer.element(tag, vr, decodedValue(tag, value), reader.littleEndian() != writer.littleEndian());
      } else {
        writer.header(tag, vr, reader.length);
        int swap = reader.littleEndian() != writer.littleEndian() ? ByteSwap.width(vr) : 0;
        reader.copy(reader.length, writer.out(), buffer, swap);
      }
    }
  }

  /** A sequence (or a UN / unknown element of undefined length, which holds one: PS3.5 6.2.2). */
  private void copySequence(int tag, int depth) throws IOException, DicomParseException,
      UnsupportedTranscodingException {
    long end = reader.length == ElementReader.UNDEFINED ? -1 : reader.position() + reader.length;
    boolean explicit = reader.explicitVr;
    if ("UN".equals(reader.vr)) reader.explicitVr = false;
    writer.header(tag, "SQ", ElementReader.UNDEFINED);
    while (end < 0 || reader.position() < end) {
      if (!reader.next()) throw new EOFException("the file ends inside a sequence (truncated)");
      if (reader.tag == ElementReader.SEQUENCE_DELIMITER) break;
      if (reader.tag != ElementReader.ITEM) throw ElementReader.broken(reader.tag, "found where an item was expected");
      writer.item();
      copyElements(depth + 1, reader.length == ElementReader.UNDEFINED ? -1 : reader.position() + reader.length);
      writer.itemEnd();
    }
    writer.sequenceEnd();
    reader.explicitVr = explicit;
  }

  /**
   * Decoding changes how pixels are described: JPEG's and JPEG 2000's color transforms are
   * undone (RGB), and decoded color frames are color-by-pixel (PS3.3 C.7.6.3.1.3).
   */
  private byte[] decodedValue(int tag, byte[] value) {
    if (frames == null) return value;
    if (tag == ImagePixels.PHOTOMETRIC_INTERPRETATION) {
      String text = frames.decodedPhotometric();
      if (text.length() % 2 == 1) text += " ";
      return text.getBytes(StandardCharsets.US_ASCII);
    }
    if (tag == ImagePixels.PLANAR_CONFIGURATION) return new byte[2];
    return value;
  }

  /** Encapsulated Pixel Data becomes native: each frame decoded in turn, then the fragments skipped. */
  private void decodedPixelData() throws IOException, DicomParseException, UnsupportedTranscodingException {
    if (frames == null) throw ElementReader.broken(ElementReader.PIXEL_DATA, "is encapsulated in a native syntax");
    ImagePixels p = frames.decodedPixels(); // every sample: YBR_FULL_422 decodes to three a pixel
    long total = p.frameLength() * p.numberOfFrames();
    String vr = p.bitsAllocated() <= 8 ? "OB" : "OW";
    writer.header(ElementReader.PIXEL_DATA, vr, total + (total % 2));
    boolean swap = !writer.littleEndian() && vr.equals("OW");
    for (int n = 1; n <= p.numberOfFrames(); n++) {
      byte[] frame = frames.decode(n);
      if (swap) ByteSwap.swap(frame, frame.length, 2);
      writer.out().write(frame);
    }
    if (total % 2 == 1) writer.out().write(0); // values have even length (PS3.5 7.1.1)
    reader.skipValue();
  }

  /** Lets the deflater finish its stream without closing the response under it. */
  private static final class Unclosable extends FilterOutputStream {
    Unclosable(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
