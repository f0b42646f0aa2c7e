package dev.atrium.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the PS3.10 preamble and File Meta Information (group 0002, explicit VR little endian)
 * in front of a data set received over DIMSE, whose bytes then follow unchanged.
 */
public final class Part10Writer {
  public static final String IMPLEMENTATION_CLASS_UID = "1.2.826.0.1.3680043.10.1421.1";
  public static final String IMPLEMENTATION_VERSION = "ATRIUM_01";

  private Part10Writer() {}

  public static void writeHeader(OutputStream out, String sopClassUid, String sopInstanceUid,
      String transferSyntaxUid, String sourceAeTitle) throws IOException {
    ByteArrayOutputStream group = new ByteArrayOutputStream(256);
    element(group, 0x0001, "OB", new byte[] {0, 1});
    element(group, 0x0002, "UI", uid(sopClassUid));
    element(group, 0x0003, "UI", uid(sopInstanceUid));
    element(group, 0x0010, "UI", uid(transferSyntaxUid));
    element(group, 0x0012, "UI", uid(IMPLEMENTATION_CLASS_UID));
    element(group, 0x0013, "SH", text(IMPLEMENTATION_VERSION));
    if (sourceAeTitle != null && !sourceAeTitle.isBlank()) element(group, 0x0016, "AE", text(sourceAeTitle.trim()));

    out.write(new byte[128]);
    out.write(new byte[] {'D', 'I', 'C', 'M'});
    ByteArrayOutputStream length = new ByteArrayOutputStream(12);
    element(length, 0x0000, "UL", le32(group.size()));
    length.writeTo(out);
    group.writeTo(out);
  }

  private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
    out.write(2);
    out.write(0);
    out.write(element & 0xff);
    out.write(element >> 8);
    out.write(vr.charAt(0));
    out.write(vr.charAt(1));
    if (vr.equals("OB")) { // PS3.5 7.1.2: OB has 2 reserved bytes and a 4-byte length
      out.write(0);
      out.write(0);
      out.writeBytes(le32(value.length));
    } else {
      out.write(value.length & 0xff);
      out.write(value.length >> 8);
    }
    out.writeBytes(value);
  }

  private static byte[] uid(String uid) {
    byte[] bytes = uid.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length % 2 == 0) return bytes;
    byte[] padded = new byte[bytes.length + 1]; // UI pads with NUL (PS3.5 9.1)
    System.arraycopy(bytes, 0, padded, 0, bytes.length);
    return padded;
  }

  private static byte[] text(String value) {
    return (value.length() % 2 == 0 ? value : value + " ").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }
}
