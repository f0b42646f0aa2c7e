package dev.atrium.dicom;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes element headers in a transfer syntax's encoding (PS3.5 7.1): explicit or implicit VR,
 * little or big endian. Sequences and items are always written with undefined length and
 * delimiters, so a re-encoded data set never needs lengths computed ahead.
 */
final class ElementWriter {
  private final OutputStream out;
  private final boolean explicitVr;
  private final boolean littleEndian;

  ElementWriter(OutputStream out, boolean explicitVr, boolean littleEndian) {
    this.out = out;
    this.explicitVr = explicitVr;
    this.littleEndian = littleEndian;
  }

  OutputStream out() {
    return out;
  }

  boolean littleEndian() {
    return littleEndian;
  }

  /**
   * A header for a value of {@code length} bytes ({@link ElementReader#UNDEFINED} for a
   * sequence). A value too long for its VR's 16-bit length field is written as UN.
   */
  void header(int tag, String vr, long length) throws IOException {
    tag(tag);
    if (!explicitVr) {
      u32(length);
      return;
    }
    String written = !ElementReader.LONG_VRS.contains(vr) && (length > 0xFFFF || length < 0) ? "UN" : vr;
    out.write(written.charAt(0));
    out.write(written.charAt(1));
    if (ElementReader.LONG_VRS.contains(written)) {
      out.write(0);
      out.write(0);
      u32(length);
    } else {
      u16((int) length);
    }
  }

  void item() throws IOException {
    tag(ElementReader.ITEM);
    u32(ElementReader.UNDEFINED);
  }

  void itemEnd() throws IOException {
    tag(ElementReader.ITEM_DELIMITER);
    u32(0);
  }

  void sequenceEnd() throws IOException {
    tag(ElementReader.SEQUENCE_DELIMITER);
    u32(0);
  }

  /** A whole small value, read from a stream of the other byte order when {@code swap}. */
  void element(int tag, String vr, byte[] value, boolean swap) throws IOException {
    header(tag, vr, value.length);
    if (swap) ByteSwap.swap(value, value.length, ByteSwap.width(vr));
    out.write(value);
  }

  private void tag(int tag) throws IOException {
    u16(tag >>> 16);
    u16(tag & 0xFFFF);
  }

  private void u16(int v) throws IOException {
    if (littleEndian) {
      out.write(v & 0xFF);
      out.write((v >>> 8) & 0xFF);
    } else {
      out.write((v >>> 8) & 0xFF);
      out.write(v & 0xFF);
    }
  }

  private void u32(long v) throws IOException {
    if (littleEndian) {
      u16((int) (v & 0xFFFF));
      u16((int) ((v >>> 16) & 0xFFFF));
    } else {
      u16((int) ((v >>> 16) & 0xFFFF));
      u16((int) (v & 0xFFFF));
    }
  }
}
