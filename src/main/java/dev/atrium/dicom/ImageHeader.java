package dev.atrium.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What an image's header says about its grayscale transforms and palette, read with PixelMed up
 * to Pixel Data. The pixel layout itself is {@link ImagePixels}, read by {@link StoredFrames}.
 */
final class ImageHeader {
  private static final AttributeTag SEGMENTED_RED_PALETTE = new AttributeTag(0x0028, 0x1221);
  private static final AttributeTag MODALITY_LUT_SEQUENCE = new AttributeTag(0x0028, 0x3000);

  private final AttributeList list;
  private final ImagePixels pixels;
  private final Palette palette;

  private ImageHeader(AttributeList list, ImagePixels pixels, Palette palette) {
    this.list = list;
    this.pixels = pixels;
    this.palette = palette;
  }

  static ImageHeader read(InputStream part10, ImagePixels pixels) throws IOException, DicomParseException,
      NotRenderableException {
    AttributeList list = DicomHeaderReader.readAttributes(part10);
    boolean palette = pixels.photometricInterpretation().equals("PALETTE COLOR");
    return new ImageHeader(list, pixels, palette ? palette(list) : null);
  }

  /** The PALETTE COLOR tables; null for other photometric interpretations. */
  Palette palette() {
    return palette;
  }

  /** The transforms of frame {@code frame} (1-based): its functional groups first, then the top level. */
  FrameTransforms transforms(int frame) throws NotRenderableException {
    List<AttributeList> scopes = new ArrayList<>();
    AttributeList perFrame = item(list, TagFromName.PerFrameFunctionalGroupsSequence, frame - 1);
    if (perFrame != null) scopes.add(perFrame);
    AttributeList shared = item(list, TagFromName.SharedFunctionalGroupsSequence, 0);
    if (shared != null) scopes.add(shared);
    AttributeList rescale = list;
    AttributeList voi = list;
    for (int i = scopes.size() - 1; i >= 0; i--) {
      AttributeList r = item(scopes.get(i), TagFromName.PixelValueTransformationSequence, 0);
      if (r != null) rescale = r;
      AttributeList v = item(scopes.get(i), TagFromName.FrameVOILUTSequence, 0);
      if (v != null) voi = v;
    }
    AttributeList modalityLutItem = item(list, MODALITY_LUT_SEQUENCE, 0);
    AttributeList voiLutItem = item(list, TagFromName.VOILUTSequence, 0);
    return new FrameTransforms(
        Attribute.getSingleDoubleValueOrDefault(rescale, TagFromName.RescaleSlope, 1),
        Attribute.getSingleDoubleValueOrDefault(rescale, TagFromName.RescaleIntercept, 0),
        modalityLutItem == null ? null : lut(modalityLutItem, TagFromName.LUTDescriptor, TagFromName.LUTData,
            pixels.signed()),
        windows(voi),
        Attribute.getSingleStringValueOrNull(voi, TagFromName.VOILUTFunction),
        // VOI LUT input is the Modality LUT's output, which may be negative (PS3.3 C.11.2.1.1).
        voiLutItem == null ? null : lut(voiLutItem, TagFromName.LUTDescriptor, TagFromName.LUTData, true));
  }

  private static List<FrameTransforms.WindowSetting> windows(AttributeList list) {
    double[] centers = doubles(list, TagFromName.WindowCenter);
    double[] widths = doubles(list, TagFromName.WindowWidth);
    List<FrameTransforms.WindowSetting> windows = new ArrayList<>();
    for (int i = 0; i < Math.min(centers.length, widths.length); i++) {
      windows.add(new FrameTransforms.WindowSetting(centers[i], widths[i]));
    }
    return windows;
  }

  private static Palette palette(AttributeList list) throws NotRenderableException {
    if (list.get(SEGMENTED_RED_PALETTE) != null) {
      throw new NotRenderableException("segmented palette colour tables (PS3.3 C.7.9.2) are not rendered here");
    }
    Lut red = lut(list, TagFromName.RedPaletteColorLookupTableDescriptor, TagFromName.RedPaletteColorLookupTableData,
        false);
    Lut green = lut(list, TagFromName.GreenPaletteColorLookupTableDescriptor,
        TagFromName.GreenPaletteColorLookupTableData, false);
    Lut blue = lut(list, TagFromName.BluePaletteColorLookupTableDescriptor,
        TagFromName.BluePaletteColorLookupTableData, false);
    if (red == null || green == null || blue == null) {
      throw new NotRenderableException("PALETTE COLOR without its three palette colour tables (PS3.3 C.7.6.3.1.5)");
    }
    return new Palette(red, green, blue);
  }

  /**
   * A LUT from its descriptor (entries, first value mapped, bits per entry; PS3.3 C.11.1.1) and
   * data. 0 entries means 65536; with signed input a first value above 32767 is negative (it may be
   * encoded US); 8-bit entries are sometimes packed two to a 16-bit word.
   */
  private static Lut lut(AttributeList list, AttributeTag descriptorTag, AttributeTag dataTag, boolean signedInput)
      throws NotRenderableException {
    Attribute descriptor = list.get(descriptorTag);
    Attribute data = list.get(dataTag);
    if (descriptor == null || data == null) return null;
    try {
      int[] d = descriptor.getIntegerValues();
      if (d == null || d.length < 3) throw new NotRenderableException("LUT Descriptor " + descriptorTag + " needs 3 values");
      int entries = d[0] == 0 ? 65536 : d[0] & 0xFFFF;
      int first = signedInput && d[1] > 32767 ? d[1] - 65536 : d[1];
      int bits = Math.max(1, Math.min(16, d[2]));
      short[] words = data.getShortValues();
      int[] values = new int[entries];
      if (words != null && words.length >= entries) {
        for (int i = 0; i < entries; i++) values[i] = words[i] & 0xFFFF;
      } else if (words != null && bits <= 8 && words.length * 2 >= entries) {
        for (int i = 0; i < entries; i++) values[i] = (words[i / 2] >> (8 * (i % 2))) & 0xFF;
      } else {
        throw new NotRenderableException("LUT Data " + dataTag + " has fewer entries than its descriptor says");
      }
      return new Lut(first, bits, values);
    } catch (DicomException e) {
      throw new NotRenderableException("LUT " + dataTag + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** A DS value that is not a number counts as absent: the renderer falls back to its default window. */
  private static double[] doubles(AttributeList list, AttributeTag tag) {
    Attribute attribute = list.get(tag);
    if (attribute == null || attribute.getVM() == 0) return new double[0];
    try {
      return attribute.getDoubleValues();
    } catch (DicomException | NumberFormatException e) {
      return new double[0];
    }
  }

  private static AttributeList item(AttributeList list, AttributeTag sequence, int index) {
    Attribute attribute = list.get(sequence);
    if (!(attribute instanceof SequenceAttribute s) || index < 0 || index >= s.getNumberOfItems()) return null;
    return s.getItem(index).getAttributeList();
  }
}
