package dev.atrium.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/** A PS3.10 file split into what its File Meta Information says and the data set bytes after it. */
public record Part10(String sopInstanceUid, String transferSyntaxUid, byte[] dataSet) {
  private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "SQ", "UT", "UN", "UC", "UR", "OD", "OL", "OV");

  public static Part10 read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /** Walks the group 0002 elements (explicit VR little endian, PS3.10 7.1). */
  public static Part10 parse(byte[] file) {
    if (file.length < 132 || !new String(file, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
      throw new IllegalArgumentException("not a PS3.10 file");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.position(132);
    String sop = null, ts = null;
    while (b.remaining() >= 8 && b.getShort(b.position()) == 0x0002) {
      b.getShort();
      int element = b.getShort() & 0xFFFF;
      String vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
      int length;
      if (LONG_VRS.contains(vr)) {
        b.getShort();
        length = b.getInt();
      } else {
        length = b.getShort() & 0xFFFF;
      }
      byte[] value = new byte[length];
      b.get(value);
      String text = new String(value, StandardCharsets.US_ASCII).replace("\0", "").trim();
      if (element == 0x0003) sop = text;
      if (element == 0x0010) ts = text;
    }
    return new Part10(sop, ts, Arrays.copyOfRange(file, b.position(), file.length));
  }
}
