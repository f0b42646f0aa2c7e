package dev.atrium.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.UnknownAttribute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A C-FIND identifier (PS3.4 C.4.1.1.3): the Query/Retrieve Level, the Specific Character Set
 * and the keys, each tag with its VR and its value decoded to Unicode (multiple values joined
 * by "\"; "" is a universal match or a plain return key). Sequences are not keys we support and
 * are left out. Response identifiers are always written in UTF-8 ("ISO_IR 192").
 */
public final class DicomIdentifier {
  public static final String UTF_8 = "ISO_IR 192";
  private static final int SPECIFIC_CHARACTER_SET = 0x00080005;
  private static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
  private static final int MAX_IDENTIFIER_BYTES = 1024 * 1024;

  /** One key: its VR (as received, or from a catalog) and its value. */
  public record Key(String vr, String value) {}

  private final String level;
  private final String specificCharacterSet;
  private final SortedMap<Integer, Key> keys;

  private DicomIdentifier(String level, String specificCharacterSet, SortedMap<Integer, Key> keys) {
    this.level = level;
    this.specificCharacterSet = specificCharacterSet;
    this.keys = Collections.unmodifiableSortedMap(keys);
  }

  /** Query/Retrieve Level (0008,0052) as sent, trimmed; null if absent. */
  public String level() {
    return level;
  }

  /** Specific Character Set (0008,0005) as sent; null if absent (the default repertoire). */
  public String specificCharacterSet() {
    return specificCharacterSet;
  }

  /** Every other non-sequence key, in tag order (group lengths left out). */
  public SortedMap<Integer, Key> keys() {
    return keys;
  }

  /**
   * Reads an identifier (a bare data set, no File Meta Information) in {@code transferSyntaxUid},
   * decoding text with the identifier's own Specific Character Set.
   */
  public static DicomIdentifier read(InputStream in, String transferSyntaxUid) throws IOException, DicomParseException {
    AttributeList list = BareDataSet.read(in, transferSyntaxUid, MAX_IDENTIFIER_BYTES, "the identifier");
    SortedMap<Integer, Key> keys = new TreeMap<>();
    String level = null;
    String charset = null;
    for (Object value : list.values()) {
      Attribute attribute = (Attribute) value;
      AttributeTag tag = attribute.getTag();
      int tagValue = tag.getGroup() << 16 | tag.getElement();
      if (tag.getElement() == 0) continue;
      if (attribute instanceof SequenceAttribute sequence) {
        // Sequence matching (PS3.4 C.2.2.2.6) is not offered: the key is kept, empty when it asks for no match,
        // so that it is answered as an unsupported optional key (zero length, FF01 when it asked to match).
        keys.put(tagValue, new Key("SQ", asksToMatch(sequence) ? "(sequence match)" : ""));
        continue;
      }
      String text = attribute.getDelimitedStringValuesOrEmptyString();
      if (tagValue == QUERY_RETRIEVE_LEVEL) level = text.strip();
      else if (tagValue == SPECIFIC_CHARACTER_SET) charset = text.strip();
      else keys.put(tagValue, new Key(attribute.getVRAsString(), text));
    }
    String unknown = charset == null ? null : CharacterSets.firstUnknown(charset);
    if (unknown != null) {
      // Its text could not be decoded, so no key could be matched: say so rather than find nothing.
      throw new DicomParseException("Specific Character Set '" + unknown + "' is not supported");
    }
    return new DicomIdentifier(level, charset, keys);
  }

  /** Whether any item of the sequence, at any depth, gives a value to match. */
  private static boolean asksToMatch(SequenceAttribute sequence) {
    for (int i = 0; i < sequence.getNumberOfItems(); i++) {
      for (Object value : sequence.getItem(i).getAttributeList().values()) {
        Attribute attribute = (Attribute) value;
        if (attribute instanceof SequenceAttribute nested ? asksToMatch(nested)
            : !attribute.getDelimitedStringValuesOrEmptyString().isBlank()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A response identifier in {@code transferSyntaxUid}: Specific Character Set "ISO_IR 192",
   * the Query/Retrieve Level, then {@code keys} (an empty value is written with zero length).
   */
  public static byte[] write(String transferSyntaxUid, String level, Map<Integer, Key> keys) throws IOException {
    SpecificCharacterSet utf8 = new SpecificCharacterSet(new String[] {UTF_8});
    AttributeList list = new AttributeList();
    try {
      put(list, SPECIFIC_CHARACTER_SET, "CS", UTF_8, utf8);
      put(list, QUERY_RETRIEVE_LEVEL, "CS", level, utf8);
      for (Map.Entry<Integer, Key> key : keys.entrySet()) {
        if (key.getKey() == SPECIFIC_CHARACTER_SET || key.getKey() == QUERY_RETRIEVE_LEVEL) continue;
        put(list, key.getKey(), key.getValue().vr(), key.getValue().value(), utf8);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      DicomOutputStream out = new DicomOutputStream(bytes, null, transferSyntaxUid);
      list.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (DicomException e) {
      throw new IOException("cannot encode the response identifier: " + e.getMessage(), e);
    }
  }

  private static void put(AttributeList list, int tag, String vr, String value, SpecificCharacterSet charset)
      throws DicomException {
    AttributeTag attributeTag = new AttributeTag(tag >>> 16, tag & 0xFFFF);
    Attribute attribute = AttributeFactory.newAttribute(attributeTag, vr.getBytes(StandardCharsets.US_ASCII), charset);
    if (attribute instanceof UnknownAttribute unknown) {
      // A key of unknown VR (a private element or creator read in implicit VR) goes back as its bytes, padded to
      // even length; PixelMed cannot write one that was given no bytes (a NullPointerException answered a C-FIND
      // that carried a private key with C000).
      byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.ISO_8859_1);
      if (bytes.length % 2 != 0) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        bytes[bytes.length - 1] = ' ';
      }
      unknown.setValues(bytes);
    } else if (value != null && !value.isEmpty()) {
      for (String single : value.split("\\\\", -1)) attribute.addValue(single);
    }
    list.put(attribute);
  }
}
