package dev.atrium.dicom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * The names a DICOM JSON document repeats for every attribute (PS3.18 F.2.2), encoded once: the tag keys (kept in a
 * small cache, as a document uses a few hundred of them) and the "vr" and "Value" members. Every attribute of every
 * stored instance passes through here.
 */
final class JsonNames {
  private static final SerializedString VR = new SerializedString("vr");
  private static final SerializedString VALUE = new SerializedString("Value");
  private static final int CACHE_BITS = 13;

  /** A cached tag key; one reference per slot, so a racing reader sees a whole entry or another one. */
  private record Key(int tag, SerializedString name) {}

  private static final Key[] KEYS = new Key[1 << CACHE_BITS];

  private JsonNames() {}

  /** Opens an attribute: {@code "GGGGEEEE": {"vr": "XX"}, left open for its value. */
  static void startAttribute(JsonGenerator json, int tag, String vr) throws IOException {
    json.writeFieldName(key(tag));
    json.writeStartObject();
    json.writeFieldName(VR);
    json.writeString(vr);
  }

  /** Opens the "Value" array of an attribute. */
  static void startValue(JsonGenerator json) throws IOException {
    json.writeFieldName(VALUE);
    json.writeStartArray();
  }

  /**
   * Two candidate slots per tag (Fibonacci hashing, then its neighbour). Of the 268 tags of a PET file with many
   * private elements, 38 shared a slot with another under the former single-slot XOR-fold hash, so each instance
   * encoded their keys again; here none does after the first instance.
   */
  private static SerializedString key(int tag) {
    int slot = (tag * 0x9E3779B9) >>> (32 - CACHE_BITS);
    Key first = KEYS[slot];
    if (first != null && first.tag() == tag) return first.name();
    Key second = KEYS[slot ^ 1];
    if (second != null && second.tag() == tag) return second.name();
    SerializedString name = new SerializedString(TagHex.of(tag));
    KEYS[first != null && second == null ? slot ^ 1 : slot] = new Key(tag, name);
    return name;
  }
}
