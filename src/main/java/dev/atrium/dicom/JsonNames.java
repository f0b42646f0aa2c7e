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
  private static final int CACHE_SIZE = 4096; // a power of two

  /** A cached tag key; one reference per slot, so a racing reader sees a whole entry or another one. */
  private record Key(int tag, SerializedString name) {}

  private static final Key[] KEYS = new Key[CACHE_SIZE];

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

  private static SerializedString key(int tag) {
    int slot = (tag ^ (tag >>> 12) ^ (tag >>> 20)) & (CACHE_SIZE - 1);
    Key cached = KEYS[slot];
    if (cached != null && cached.tag() == tag) return cached.name();
    SerializedString name = new SerializedString(TagHex.of(tag));
    KEYS[slot] = new Key(tag, name);
    return name;
  }
}
