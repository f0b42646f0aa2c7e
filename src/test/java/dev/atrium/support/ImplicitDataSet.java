package dev.atrium.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A data set encoded by hand in implicit VR little endian (PS3.5 7.1.3), for requests sent on a raw socket:
 * elements in tag order, each value padded to an even length (UIDs with NUL, text with a space).
 */
public final class ImplicitDataSet {
  private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

  /** A text value; a UID when {@code uid} (NUL padding), else space padding. */
  public ImplicitDataSet text(int tag, String value, boolean uid) {
    String padded = value.length() % 2 == 0 ? value : value + (uid ? "\0" : " ");
    elements.put(tag, padded.getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  public ImplicitDataSet uid(int tag, String value) {
    return text(tag, value, true);
  }

  /** An unsigned short (US). */
  public ImplicitDataSet us(int tag, int value) {
    elements.put(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
    return this;
  }

  /** Raw value bytes (an even number of them). */
  public ImplicitDataSet bytes(int tag, byte[] value) {
    if (value.length % 2 != 0) throw new IllegalArgumentException("odd value length " + value.length);
    elements.put(tag, value);
    return this;
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    elements.forEach((key, value) -> {
      int tag = key;
      out.writeBytes(new byte[] {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8)});
      int length = value.length;
      out.writeBytes(new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)});
      out.writeBytes(value);
    });
    return out.toByteArray();
  }
}
