package dev.atrium.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The identifier of a C-MOVE or C-GET response that reports failed sub-operations: the Failed SOP Instance UID
 * List (0008,0058) alone (PS3.4 C.4.2.1.3.2, C.4.3.1.3.2), in implicit or explicit VR little endian.
 */
public final class FailedUidList {
  /** Explicit VR UI has a 16-bit length (PS3.5 7.1.2). */
  private static final int MAX_EXPLICIT_VALUE = 0xFFFE;

  private FailedUidList() {}

  /** As many of {@code uids} as the element can hold in {@code transferSyntaxUid}, in order. */
  public static byte[] encode(String transferSyntaxUid, List<String> uids) {
    boolean explicit = !SopClasses.IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
    StringBuilder joined = new StringBuilder();
    for (String uid : uids) {
      int length = joined.length() + (joined.length() > 0 ? 1 : 0) + uid.length();
      if (explicit && length + (length & 1) > MAX_EXPLICIT_VALUE) break;
      if (joined.length() > 0) joined.append('\\');
      joined.append(uid);
    }
    if ((joined.length() & 1) == 1) joined.append('\0'); // UI pads with NUL (PS3.5 9.1)
    byte[] value = joined.toString().getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 12);
    out.writeBytes(new byte[] {0x08, 0x00, 0x58, 0x00});
    if (explicit) {
      out.writeBytes(new byte[] {'U', 'I', (byte) value.length, (byte) (value.length >>> 8)});
    } else {
      out.writeBytes(new byte[] {(byte) value.length, (byte) (value.length >>> 8), (byte) (value.length >>> 16),
          (byte) (value.length >>> 24)});
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
