package dev.atrium.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-encoded explicit VR little endian bytes (PS3.5 7.1.2), for data sets no toolkit would write. */
final class ExplicitLe {
  private ExplicitLe() {}

  /** A PS3.10 file: preamble, "DICM", the transfer syntax as the only meta element, then the data set. */
  static byte[] part10(byte[] dataSet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    explicit(out, 0x00020010, "UI", "1.2.840.10008.1.2.1\0".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(dataSet);
    return out.toByteArray();
  }

  /** An element with a 16-bit length. */
  static void explicit(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
    tag(out, tag);
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    u16(out, value.length);
    out.writeBytes(value);
  }

  /** The header of an element with a 32-bit length (OB, SQ, UN, …): its value follows. */
  static void longHeader(ByteArrayOutputStream out, int tag, String vr, long length) {
    tag(out, tag);
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    u16(out, 0);
    u32(out, length);
  }

  static void tag(ByteArrayOutputStream out, int tag) {
    u16(out, tag >>> 16);
    u16(out, tag & 0xFFFF);
  }

  static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write(v >>> 8 & 0xFF);
  }

  static void u32(ByteArrayOutputStream out, long v) {
    u16(out, (int) (v & 0xFFFF));
    u16(out, (int) (v >>> 16 & 0xFFFF));
  }
}
