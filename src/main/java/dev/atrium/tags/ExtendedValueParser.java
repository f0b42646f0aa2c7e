package dev.atrium.tags;

import dev.atrium.dicom.TagHex;
import dev.atrium.dicom.DicomJsonValues;
import dev.atrium.index.ExtendedTag;
import dev.atrium.index.ExtendedValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the values of extended query tags from an instance's stored DICOM JSON, at store time
 * and in a reindex alike. The first value counts (the Azure DICOM service indexes the first of
 * several); a value that breaks its VR's rules is reported, not stored.
 */
public final class ExtendedValueParser implements ExtendedValue.Reader {
  private static final int SPECIFIC_CHARACTER_SET = 0x00080005;

  @Override
  public List<ExtendedValue> read(byte[] metadataJson, List<ExtendedTag> tags) {
    Set<Integer> wanted = new HashSet<>();
    wanted.add(SPECIFIC_CHARACTER_SET);
    for (ExtendedTag t : tags) {
      wanted.add(t.tag());
      if (t.privateCreator() != null) wanted.add(creatorElement(t.tag()));
    }
    List<ExtendedValue> values = new ArrayList<>(tags.size());
    Map<Integer, DicomJsonValues.Element> elements;
    try {
      elements = DicomJsonValues.read(metadataJson, wanted);
    } catch (IOException | RuntimeException e) {
      for (ExtendedTag t : tags) values.add(new ExtendedValue.Invalid(t, "the instance's metadata cannot be read: "
          + e.getMessage()));
      return values;
    }
    for (ExtendedTag t : tags) values.add(value(t, elements));
    return values;
  }

  private static ExtendedValue value(ExtendedTag t, Map<Integer, DicomJsonValues.Element> elements) {
    String creator = first(elements.get(creatorElement(t.tag())));
    if (t.privateCreator() != null && (creator == null || !t.privateCreator().equals(creator.strip()))) {
      return new ExtendedValue.Absent(t); // the block belongs to another creator: not this tag (PS3.5 7.8.1)
    }
    DicomJsonValues.Element e = elements.get(t.tag());
    if (e == null) return new ExtendedValue.Absent(t);
    String value;
    if (t.vr().equals(e.vr())) {
      value = first(e);
    } else if ("UN".equals(e.vr()) && (e.inlineBinary() != null || e.bulkData())) {
      if (e.bulkData()) return invalid(t, "(binary)", "longer than the VR allows");
      value = fromUnknown(t.vr(), e.inlineBinary(), charset(elements.get(SPECIFIC_CHARACTER_SET)));
    } else {
      // The Azure DICOM service's MismatchVR.
      return new ExtendedValue.Invalid(t, "the extended query tag " + tagString(t.tag()) + " is expected to have VR "
          + t.vr() + " but has " + e.vr() + " in the instance");
    }
    if (value == null || value.isBlank()) return new ExtendedValue.Absent(t);
    try {
      return new ExtendedValue.Of(t, VrValues.parse(t.vr(), value));
    } catch (IllegalArgumentException why) {
      return invalid(t, value, why.getMessage());
    }
  }

  private static ExtendedValue invalid(ExtendedTag t, String value, String why) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return new ExtendedValue.Invalid(t, "value '" + shown + "' of " + tagString(t.tag()) + " failed validation for VR "
        + t.vr() + ": " + why);
  }

  private static String first(DicomJsonValues.Element e) {
    return e == null || e.values().isEmpty() ? null : e.values().get(0);
  }

  /**
   * A value read in implicit VR without a dictionary entry (private tags) is UN: its bytes are
   * decoded as the tag's VR says, little endian (PS3.5 A.1).
   */
  private static String fromUnknown(String vr, byte[] bytes, Charset charset) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    String number = switch (vr) {
      case "FD" -> b.remaining() >= 8 ? Double.toString(b.getDouble()) : null;
      case "FL" -> b.remaining() >= 4 ? Float.toString(b.getFloat()) : null;
      case "SL" -> b.remaining() >= 4 ? Integer.toString(b.getInt()) : null;
      case "UL" -> b.remaining() >= 4 ? Long.toString(b.getInt() & 0xFFFFFFFFL) : null;
      case "SS" -> b.remaining() >= 2 ? Short.toString(b.getShort()) : null;
      case "US" -> b.remaining() >= 2 ? Integer.toString(b.getShort() & 0xFFFF) : null;
      default -> "";
    };
    if (number == null || !number.isEmpty()) return number;
    String text = new String(bytes, charset);
    int backslash = text.indexOf('\\');
    return (backslash >= 0 ? text.substring(0, backslash) : text).replaceAll("[\\s\\x00]+$", "");
  }

  /** UTF-8 when the data set says ISO_IR 192; otherwise Latin-1, which keeps the default repertoire. */
  private static Charset charset(DicomJsonValues.Element specificCharacterSet) {
    String value = first(specificCharacterSet);
    return value != null && value.contains("ISO_IR 192") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
  }

  /** The element (gggg,00xx) that reserves the private block (gggg,xx00-xxFF) of a tag (PS3.5 7.8.1). */
  static int creatorElement(int tag) {
    return (tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF);
  }

  static String tagString(int tag) {
    return TagHex.display(tag);
  }
}
