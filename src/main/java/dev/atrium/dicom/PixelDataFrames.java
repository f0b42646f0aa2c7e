package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bytes of one frame of a stored file's Pixel Data and nothing of the other frames:
 * native frames by arithmetic (PS3.5 8.1.1), encapsulated ones through the Basic Offset Table or
 * a walk over the fragment item headers that seeks past their values (PS3.5 A.4).
 */
final class PixelDataFrames {
  private static final int ITEM = 0xFFFEE000;
  private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
  /** More fragments than this (a few per frame of the largest real multi-frame) is not an image we render. */
  private static final int MAX_FRAGMENTS = 1 << 22;

  private PixelDataFrames() {}

  /** Frame {@code frame} (1-based) of native Pixel Data whose value starts at {@code valueOffset}. */
  static byte[] nativeFrame(DicomHeaderReader.Source source, long valueOffset, long valueLength, ImagePixels pixels,
      int frame) throws IOException, NotRenderableException {
    long frameBytes = pixels.nativeFrameBytes();
    if (valueLength < frameBytes * frame) {
      throw new NotRenderableException("Pixel Data holds " + valueLength + " bytes, fewer than frame " + frame
          + " needs (" + frameBytes + " bytes a frame)");
    }
    try (InputStream in = source.open()) {
      in.skipNBytes(valueOffset + frameBytes * (frame - 1));
      return in.readNBytes((int) frameBytes);
    }
  }

  /** The concatenated fragments of frame {@code frame} (1-based) of encapsulated Pixel Data. */
  static byte[] encapsulatedFrame(DicomHeaderReader.Source source, long valueOffset, ImagePixels pixels, int frame,
      long maxBytes) throws IOException, NotRenderableException {
    List<Fragment> fragments = new ArrayList<>();
    long[] offsets;
    long firstFragment;
    try (InputStream in = source.open()) {
      in.skipNBytes(valueOffset);
      Header table = Header.read(in, valueOffset);
      if (table.tag != ITEM) throw broken("it does not start with a Basic Offset Table item");
      if (table.length % 4 != 0 || table.length > 4L * Math.min(pixels.numberOfFrames(), MAX_FRAGMENTS)) {
        throw broken("its Basic Offset Table has " + table.length + " bytes for " + pixels.numberOfFrames() + " frames");
      }
      ByteBuffer bot = ByteBuffer.wrap(in.readNBytes((int) table.length)).order(ByteOrder.LITTLE_ENDIAN);
      offsets = new long[(int) table.length / 4];
      for (int i = 0; i < offsets.length; i++) offsets[i] = Integer.toUnsignedLong(bot.getInt());
      firstFragment = table.end();
      for (Header item = Header.read(in, firstFragment); item.tag != SEQUENCE_DELIMITER; ) {
        if (item.tag != ITEM) throw broken("expected a fragment item, found tag " + Integer.toHexString(item.tag));
        if (fragments.size() == MAX_FRAGMENTS) throw broken("it has more than " + MAX_FRAGMENTS + " fragments");
        byte[] head = in.readNBytes((int) Math.min(4, item.length));
        in.skipNBytes(item.length - head.length);
        fragments.add(new Fragment(item.position, item.length, startsFrame(head)));
        item = Header.read(in, item.end());
      }
    }
    List<Fragment> chosen = fragmentsOf(frame, pixels.numberOfFrames(), fragments, offsets, firstFragment);
    long total = chosen.stream().mapToLong(Fragment::length).sum();
    if (total > maxBytes) throw new NotRenderableException("frame " + frame + " is too large to render (" + total
        + " compressed bytes)");
    byte[] bytes = new byte[(int) total];
    try (InputStream in = source.open()) {
      long at = 0;
      int filled = 0;
      for (Fragment f : chosen) {
        in.skipNBytes(f.valueOffset() - at);
        int n = in.readNBytes(bytes, filled, (int) f.length());
        if (n < f.length()) throw new EOFException("stored file ends inside a Pixel Data fragment");
        filled += n;
        at = f.valueOffset() + f.length();
      }
    }
    return bytes;
  }

  /**
   * PS3.5 A.4: one frame takes every fragment; with a Basic Offset Table its offsets (from the
   * first fragment's item tag) say where each frame starts; with as many fragments as frames each
   * fragment is a frame (always so for RLE, A.4.2); else a fragment that opens with a JPEG SOI or a
   * JPEG 2000 SOC / JP2 signature starts a frame.
   */
  private static List<Fragment> fragmentsOf(int frame, int frames, List<Fragment> fragments, long[] offsets,
      long firstFragment) throws NotRenderableException {
    if (fragments.isEmpty()) throw broken("it has no fragments");
    if (frames == 1) return fragments;
    if (offsets.length == frames) {
      long start = firstFragment + offsets[frame - 1];
      long end = frame < frames ? firstFragment + offsets[frame] : Long.MAX_VALUE;
      List<Fragment> chosen = fragments.stream().filter(f -> f.itemOffset() >= start && f.itemOffset() < end).toList();
      if (!chosen.isEmpty()) return chosen;
    }
    if (fragments.size() == frames) return List.of(fragments.get(frame - 1));
    List<List<Fragment>> byFrame = new ArrayList<>();
    for (Fragment f : fragments) {
      if (f.startsFrame() || byFrame.isEmpty()) byFrame.add(new ArrayList<>());
      byFrame.get(byFrame.size() - 1).add(f);
    }
    if (byFrame.size() != frames) {
      throw broken("its " + fragments.size() + " fragments cannot be told apart into " + frames + " frames");
    }
    return byFrame.get(frame - 1);
  }

  private static boolean startsFrame(byte[] head) {
    if (head.length < 2) return false;
    int a = head[0] & 0xFF;
    int b = head[1] & 0xFF;
    boolean jpeg = a == 0xFF && b == 0xD8;
    boolean j2kCodestream = a == 0xFF && b == 0x4F;
    boolean jp2 = head.length == 4 && a == 0 && b == 0 && head[2] == 0 && head[3] == 0x0C;
    return jpeg || j2kCodestream || jp2;
  }

  private static NotRenderableException broken(String what) {
    return new NotRenderableException("the encapsulated Pixel Data cannot be split into frames: " + what);
  }

  /** A fragment: where its item tag is, where its value is, and how long that is. */
  private record Fragment(long itemOffset, long length, boolean startsFrame) {
    long valueOffset() {
      return itemOffset + 8;
    }
  }

  /** An item or delimiter header (tag, 32-bit length) at a file position; little endian (PS3.5 A.4). */
  private record Header(long position, int tag, long length) {
    static Header read(InputStream in, long position) throws IOException {
      byte[] b = in.readNBytes(8);
      if (b.length < 8) throw new EOFException("stored file ends inside encapsulated Pixel Data");
      ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int tag = (buffer.getShort() & 0xFFFF) << 16 | (buffer.getShort() & 0xFFFF);
      return new Header(position, tag, Integer.toUnsignedLong(buffer.getInt()));
    }

    long end() {
      return position + 8 + length;
    }
  }
}
