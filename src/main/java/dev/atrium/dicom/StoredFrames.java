package dev.atrium.dicom;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The frames of a stored instance, reached without reading the other frames (PS3.18 10.4.1.1.5):
 * one walk of the header up to Pixel Data finds its layout; a native frame is then located by
 * arithmetic (PS3.5 8.1.1), an encapsulated one through the Extended or Basic Offset Table, or a
 * walk of the fragment item headers that seeks past the fragments (PS3.5 A.4).
 */
public final class StoredFrames {
  private static final int EXTENDED_OFFSET_TABLE = 0x7FE00001;
  private static final int EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002;
  private static final int COPY_BUFFER = 64 * 1024;
  /** More fragments than this (a few per frame of the largest real multi-frame) is not Pixel Data we walk. */
  private static final int MAX_FRAGMENTS = 1 << 20;

  private final DicomHeaderReader.Source source;
  private final TransferSyntax syntax;
  private final ImagePixels pixels;
  private final long dataSetOffset;
  /** Position of the first value byte (native) or of the Basic Offset Table item (encapsulated). */
  private final long pixelValueStart;
  /** Length of native Pixel Data; -1 when encapsulated. */
  private final long pixelValueLength;
  private final long[] extendedOffsets;
  private final long[] extendedLengths;
  /** Encapsulated frames without a usable offset table: each frame's fragments as {value position, length}. */
  private List<List<long[]>> fragments;
  private long[] basicOffsets;
  private long firstFragment;

  private StoredFrames(DicomHeaderReader.Source source, TransferSyntax syntax, ImagePixels pixels, long dataSetOffset,
      long pixelValueStart, long pixelValueLength, long[] extendedOffsets, long[] extendedLengths) {
    this.source = source;
    this.syntax = syntax;
    this.pixels = pixels;
    this.dataSetOffset = dataSetOffset;
    this.pixelValueStart = pixelValueStart;
    this.pixelValueLength = pixelValueLength;
    this.extendedOffsets = extendedOffsets;
    this.extendedLengths = extendedLengths;
  }

  /** Reads the header up to Pixel Data; empty when the instance has no Pixel Data. */
  public static Optional<StoredFrames> open(DicomHeaderReader.Source source) throws IOException, DicomParseException {
    try (Part10File file = Part10File.open(source)) {
      ElementReader r = file.reader;
      ImagePixels.Collector module = new ImagePixels.Collector();
      long[] offsets = null;
      long[] lengths = null;
      while (r.next()) {
        if (r.tag == ElementReader.PIXEL_DATA) {
          ImagePixels p = module.build();
          long start = r.position();
          if (r.length == ElementReader.UNDEFINED) {
            if (!file.syntax.encapsulated()) {
              throw new DicomParseException("Pixel Data is encapsulated (undefined length) in the native "
                  + file.syntax.describe() + ", which PS3.5 A.4 does not allow");
            }
            return Optional.of(new StoredFrames(source, file.syntax, p, file.dataSetOffset, start, -1, offsets,
                lengths));
          }
          if (file.syntax.encapsulated()) {
            throw new DicomParseException("Pixel Data has a defined length in the encapsulated "
                + file.syntax.describe() + " (PS3.5 A.4 requires undefined length)");
          }
          return Optional.of(new StoredFrames(source, file.syntax, p, file.dataSetOffset, start, r.length, null, null));
        }
        if (r.tag > ElementReader.PIXEL_DATA) break;
        if (ImagePixels.Collector.wanted(r.tag) && r.length >= 0 && r.length <= 64) {
          module.accept(r.tag, r.value(), r.littleEndian());
        } else if ((r.tag == EXTENDED_OFFSET_TABLE || r.tag == EXTENDED_OFFSET_TABLE_LENGTHS) && r.length >= 0
            && r.length <= 8L * Math.min(module.build().numberOfFrames(), MAX_FRAGMENTS)) {
          long[] table = longs(r);
          if (r.tag == EXTENDED_OFFSET_TABLE) offsets = table;
          else lengths = table;
        } else {
          r.skipValue();
        }
      }
      return Optional.empty();
    } catch (ElementReader.BrokenElementException | EOFException e) {
      throw new DicomParseException(e.getMessage(), e);
    }
  }

  private static long[] longs(ElementReader r) throws IOException {
    long[] values = new long[(int) (r.length / 8)];
    for (int i = 0; i < values.length; i++) values[i] = r.u32() | (r.u32() << 32);
    r.skip(r.length % 8);
    return values;
  }

  public TransferSyntax transferSyntax() {
    return syntax;
  }

  public ImagePixels pixels() {
    return pixels;
  }

  public int numberOfFrames() {
    return pixels.numberOfFrames();
  }

  /**
   * What {@link #decode} returns: the stored description for native frames; for decoded ones the
   * codec's photometric interpretation, color-by-pixel.
   */
  public ImagePixels decodedPixels() {
    return syntax.encapsulated() ? pixels.decodedAs(decodedPhotometric()) : pixels;
  }

  /** Whether {@link #decode} can turn this instance's frames into native pixels (or they are native). */
  public void checkDecodable() throws UnsupportedTranscodingException {
    if (!syntax.encapsulated()) return;
    FrameDecoders.check(syntax.uid(), pixels);
  }

  /**
   * Writes frame {@code n} (1-based) as stored: a native frame's bytes (little endian: a big
   * endian file's words are swapped), or an encapsulated frame's fragments concatenated.
   */
  public void copy(int n, OutputStream out) throws IOException, DicomParseException {
    byte[] buffer = new byte[COPY_BUFFER];
    if (!syntax.encapsulated()) {
      long offset = nativeFrameOffset(n);
      try (InputStream in = open(pixelValueStart + offset)) {
        ElementReader r = new ElementReader(in, true, true, 0);
        r.copy(pixels.frameLength(), out, buffer, syntax.littleEndian() ? 0 : Math.max(0, pixels.bitsAllocated() / 8));
      }
      return;
    }
    copyFragments(encapsulatedFrame(n), out, buffer);
  }

  private void copyFragments(List<long[]> frame, OutputStream out, byte[] buffer) throws IOException {
    for (long[] fragment : frame) {
      try (InputStream in = open(fragment[0])) {
        new ElementReader(in, true, true, 0).copy(fragment[1], out, buffer, 0);
      }
    }
  }

  /**
   * Frame {@code n} as native pixels, laid out as {@link #decodedPixels} says (little endian);
   * one frame in memory. The one decoding path of /frames, transcoding and rendering.
   */
  public byte[] decode(int n) throws IOException, DicomParseException, UnsupportedTranscodingException {
    return decode(n, Integer.MAX_VALUE - 16);
  }

  /** As {@link #decode(int)}, refusing a compressed frame of more than {@code maxEncodedBytes}. */
  byte[] decode(int n, long maxEncodedBytes) throws IOException, DicomParseException,
      UnsupportedTranscodingException {
    if (!syntax.encapsulated()) {
      if (pixels.frameLength() > Integer.MAX_VALUE - 16) {
        throw new DicomParseException("frame " + n + " is larger than 2 GiB");
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) pixels.frameLength());
      copy(n, out);
      return out.toByteArray();
    }
    checkDecodable();
    return FrameDecoders.decode(syntax.uid(), read(n, maxEncodedBytes), pixels);
  }

  /** The Photometric Interpretation of what {@link #decode} returns. */
  public String decodedPhotometric() {
    return syntax.encapsulated() ? FrameDecoders.decodedPhotometric(syntax.uid(), pixels.photometricInterpretation())
        : pixels.photometricInterpretation();
  }

  /** Frame {@code n}'s stored bytes in memory (for a decoder), at most {@code maxBytes} of them. */
  private byte[] read(int n, long maxBytes) throws IOException, DicomParseException, UnsupportedTranscodingException {
    List<long[]> frame = encapsulatedFrame(n);
    long total = 0;
    for (long[] fragment : frame) total += fragment[1];
    if (total > maxBytes) {
      throw new UnsupportedTranscodingException("frame " + n + " has " + total + " compressed bytes, more than the "
          + maxBytes + " decoded here at once");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) total);
    copyFragments(frame, out, new byte[COPY_BUFFER]);
    return out.toByteArray();
  }

  private long nativeFrameOffset(int n) throws DicomParseException {
    if (!pixels.framesByteAligned()) {
      throw new DicomParseException("frames of " + pixels.bitsAllocated() + "-bit pixels do not start on byte "
          + "boundaries; single frames cannot be cut out");
    }
    long offset = (n - 1) * pixels.frameLength();
    if (offset + pixels.frameLength() > pixelValueLength) {
      throw new DicomParseException("Pixel Data holds " + pixelValueLength + " bytes, too few for frame " + n + " of "
          + pixels.frameLength() + " bytes");
    }
    return offset;
  }

  private InputStream open(long position) throws IOException {
    return Part10File.openAt(source, dataSetOffset, syntax.deflated(), position);
  }

  private List<long[]> encapsulatedFrame(int n) throws IOException, DicomParseException {
    int frames = pixels.numberOfFrames();
    if (n < 1 || n > frames) throw new DicomParseException("frame " + n + " is not among the " + frames + " frames");
    if (basicOffsets == null) readBasicOffsetTable();
    if (extendedOffsets != null && extendedLengths != null && extendedOffsets.length == frames
        && extendedLengths.length == frames) {
      // PS3.3 C.7.6.3.1.8: each frame is one fragment; the table points at its item header.
      return List.of(new long[] {firstFragment + extendedOffsets[n - 1] + 8, extendedLengths[n - 1]});
    }
    if (basicOffsets.length == frames && frames > 1) {
      // PS3.5 A.4: the frame's fragments run from its offset to the next frame's.
      long end = n < frames ? firstFragment + basicOffsets[n] : Long.MAX_VALUE;
      try (InputStream in = new BufferedInputStream(open(firstFragment + basicOffsets[n - 1]), 256)) {
        return walk(new ElementReader(in, true, true, firstFragment + basicOffsets[n - 1]), end);
      } catch (ElementReader.BrokenElementException | EOFException e) {
        throw new DicomParseException("encapsulated Pixel Data: " + e.getMessage(), e);
      }
    }
    if (fragments == null) fragments = groupAllFragments();
    return fragments.get(n - 1);
  }

  private void readBasicOffsetTable() throws IOException, DicomParseException {
    try (InputStream in = new BufferedInputStream(open(pixelValueStart), 256)) {
      ElementReader r = new ElementReader(in, true, true, pixelValueStart);
      if (!r.next() || r.tag != ElementReader.ITEM || r.length < 0) {
        throw new DicomParseException("encapsulated Pixel Data does not start with its Basic Offset Table item");
      }
      if (r.length > 4L * Math.min(pixels.numberOfFrames(), MAX_FRAGMENTS)) {
        throw new DicomParseException("the Basic Offset Table has " + r.length + " bytes for "
            + pixels.numberOfFrames() + " frames (PS3.5 A.4: 4 a frame)");
      }
      long[] basic = new long[(int) Math.min(r.length / 4, Integer.MAX_VALUE)];
      for (int i = 0; i < basic.length; i++) basic[i] = r.u32();
      r.skip(r.length % 4);
      firstFragment = r.position();
      basicOffsets = basic;
    } catch (ElementReader.BrokenElementException | EOFException e) {
      throw new DicomParseException("encapsulated Pixel Data: " + e.getMessage(), e);
    }
  }

  /** No usable offset table: one walk of every fragment header, grouped one per frame or by start markers. */
  private List<List<long[]>> groupAllFragments() throws IOException, DicomParseException {
    int frames = pixels.numberOfFrames();
    List<long[]> all;
    try (InputStream in = new BufferedInputStream(open(firstFragment), 256)) {
      all = walk(new ElementReader(in, true, true, firstFragment), Long.MAX_VALUE);
    } catch (ElementReader.BrokenElementException | EOFException e) {
      throw new DicomParseException("encapsulated Pixel Data: " + e.getMessage(), e);
    }
    if (frames == 1) return List.of(all);
    List<List<long[]>> result = new ArrayList<>();
    if (all.size() == frames) {
      for (long[] fragment : all) result.add(List.of(fragment));
      return result;
    }
    return byStartMarkers(all, frames);
  }

  /**
   * Fragment item headers up to the sequence delimiter, seeking past each fragment's bytes but its
   * first four: each fragment as {value position, length, 1 when it opens with a start marker}.
   */
  private static List<long[]> walk(ElementReader r, long end) throws IOException, DicomParseException {
    List<long[]> fragments = new ArrayList<>();
    while (true) {
      if (r.position() >= end) return fragments;
      if (!r.next()) throw new DicomParseException("encapsulated Pixel Data ends without its sequence delimiter");
      if (r.tag == ElementReader.SEQUENCE_DELIMITER) return fragments;
      if (r.tag != ElementReader.ITEM || r.length < 0) {
        throw new DicomParseException("encapsulated Pixel Data holds something other than fragment items");
      }
      if (fragments.size() == MAX_FRAGMENTS) {
        throw new DicomParseException("encapsulated Pixel Data has more than " + MAX_FRAGMENTS + " fragments");
      }
      long position = r.position();
      byte[] head = r.bytes((int) Math.min(4, r.length));
      r.skip(r.length - head.length);
      fragments.add(new long[] {position, r.length, startsFrame(head) ? 1 : 0});
    }
  }

  /** A codestream's start marker: JPEG SOI FFD8, JPEG 2000 SOC FF4F, or a JP2 signature box. */
  private static boolean startsFrame(byte[] head) {
    if (head.length < 4) return false;
    return (head[0] & 0xFF) == 0xFF && ((head[1] & 0xFF) == 0xD8 || (head[1] & 0xFF) == 0x4F)
        || (head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] == 0x0C);
  }

  /**
   * No offset table and more fragments than frames: a frame starts at each fragment that begins
   * with a start marker (PS3.5 A.4: a frame's first fragment holds the start of its codestream).
   */
  private static List<List<long[]>> byStartMarkers(List<long[]> all, int frames) throws DicomParseException {
    List<List<long[]>> result = new ArrayList<>();
    for (long[] fragment : all) {
      if (fragment[2] == 1 || result.isEmpty()) result.add(new ArrayList<>());
      result.get(result.size() - 1).add(fragment);
    }
    if (result.size() != frames) {
      throw new DicomParseException("encapsulated Pixel Data has " + all.size() + " fragments for " + frames
          + " frames, no offset table, and its frame boundaries cannot be told");
    }
    return result;
  }
}
