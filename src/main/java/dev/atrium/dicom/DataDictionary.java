package dev.atrium.dicom;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The standard data dictionary (PS3.6) as PixelMed ships it: keywords, tags and their VRs; what
 * an implicit VR data set leaves out when it is re-encoded with explicit VRs, the keywords of the
 * Native DICOM Model (PS3.19 A.1), and the tags extended query tags name by keyword.
 */
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
    AttributeTag attributeTag = dictionaryTag(tag);
    byte[] vr = DICTIONARY.getValueRepresentationFromTag(attributeTag);
    String keyword = DICTIONARY.getNameFromTag(attributeTag);
    if (vr == null || keyword == null) return Optional.empty();
    return Optional.of(new Element(tag, keyword, new String(vr, StandardCharsets.US_ASCII)));
  }

  /** The keyword of a standard attribute, or null (private or unknown). */
  public static String keyword(int tag) {
    if (((tag >>> 16) & 1) == 1) return null;
    return DICTIONARY.getNameFromTag(dictionaryTag(tag));
  }

  /**
   * The VR to write for an element read without one. Ambiguous dictionary VRs resolve as PS3.5
   * A.1 c and 8.2 say: OB/OW by Bits Allocated for Pixel Data (OW otherwise), US/SS by Pixel
   * Representation. Private creators are LO; other private and unknown elements UN.
   */
  static String vr(int tag, int bitsAllocated, int pixelRepresentation) {
    int group = tag >>> 16;
    int element = tag & 0xFFFF;
    if (element == 0x0000) return "UL";
    if ((group & 1) == 1) return element >= 0x0010 && element <= 0x00FF ? "LO" : "UN";
    byte[] known = DICTIONARY.getValueRepresentationFromTag(dictionaryTag(tag));
    if (known == null) return "UN";
    String vr = new String(known, StandardCharsets.US_ASCII);
    return switch (vr) {
      case "OX" -> tag == ElementReader.PIXEL_DATA && bitsAllocated > 0 && bitsAllocated <= 8 ? "OB" : "OW";
      case "XS" -> pixelRepresentation == 1 ? "SS" : "US";
      case "XO" -> "OW";
      default -> vr.length() == 2 ? vr : "UN";
    };
  }

  /** Repeating groups (50xx curves, 60xx overlays) are listed under their first group. */
  private static AttributeTag dictionaryTag(int tag) {
    int group = tag >>> 16;
    if ((group & 0xFF00) == 0x6000 || (group & 0xFF00) == 0x5000) group &= 0xFF00;
    return new AttributeTag(group, tag & 0xFFFF);
  }
}
