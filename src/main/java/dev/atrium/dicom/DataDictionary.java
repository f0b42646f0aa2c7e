package dev.atrium.dicom;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The standard data dictionary (PS3.6) as PixelMed ships it: keywords, tags and their VRs. */
public final class DataDictionary {
  private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

  private DataDictionary() {}

  /** A standard data element: its tag, keyword and VR as PS3.6 lists it ("US or SS" is "XS"). */
  public record Element(int tag, String keyword, String vr) {}

  /** By keyword, exactly as PS3.6 spells it ("ManufacturerModelName"). */
  public static Optional<Element> byKeyword(String keyword) {
    AttributeTag tag = DICTIONARY.getTagFromName(keyword);
    return tag == null ? Optional.empty() : byTag(tag.getGroup() << 16 | tag.getElement());
  }

  public static Optional<Element> byTag(int tag) {
    AttributeTag attributeTag = new AttributeTag(tag >>> 16, tag & 0xFFFF);
    byte[] vr = DICTIONARY.getValueRepresentationFromTag(attributeTag);
    String keyword = DICTIONARY.getNameFromTag(attributeTag);
    if (vr == null || keyword == null) return Optional.empty();
    return Optional.of(new Element(tag, keyword, new String(vr, StandardCharsets.US_ASCII)));
  }
}
