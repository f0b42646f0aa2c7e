package dev.atrium.dicom;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import java.nio.charset.StandardCharsets;

/**
 * VRs and keywords of the standard data elements (PS3.6), from PixelMed's dictionary: what an
 * implicit VR data set leaves out when it is re-encoded with explicit VRs, and the keywords of
 * the Native DICOM Model (PS3.19 A.1).
 */
public final class DataDictionary {
  private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

  private DataDictionary() {}

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
