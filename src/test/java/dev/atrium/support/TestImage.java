package dev.atrium.support;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes images with known pixel values (a fixture maker, not archive code): a data set built with
 * PixelMed, written as storescu sends it, optionally compressed by a dcmtk tool.
 */
public final class TestImage {
  /** The value of sample {@code sample} of pixel (x, y) of frame {@code frame} (0-based). */
  public interface Pixels {
    int value(int frame, int x, int y, int sample);
  }

  private final AttributeList list = new AttributeList();
  private final int columns;
  private final int rows;
  private final int samples;
  private final int bitsAllocated;
  private int frames = 1;

  private TestImage(TestInstances.Uids uids, String sopClass, int columns, int rows, int samples, int bitsAllocated,
      int bitsStored, boolean signed, String photometric) throws Exception {
    this.columns = columns;
    this.rows = rows;
    this.samples = samples;
    this.bitsAllocated = bitsAllocated;
    set(TagFromName.SOPClassUID, sopClass);
    set(TagFromName.StudyInstanceUID, uids.study());
    set(TagFromName.SeriesInstanceUID, uids.series());
    set(TagFromName.SOPInstanceUID, uids.sop());
    set(TagFromName.PatientName, "RENDER^TEST");
    set(TagFromName.PatientID, "RENDER");
    set(TagFromName.Modality, "OT");
    set(TagFromName.Rows, Integer.toString(rows));
    set(TagFromName.Columns, Integer.toString(columns));
    set(TagFromName.SamplesPerPixel, Integer.toString(samples));
    set(TagFromName.PhotometricInterpretation, photometric);
    set(TagFromName.BitsAllocated, Integer.toString(bitsAllocated));
    set(TagFromName.BitsStored, Integer.toString(bitsStored));
    set(TagFromName.HighBit, Integer.toString(bitsStored - 1));
    set(TagFromName.PixelRepresentation, signed ? "1" : "0");
    if (samples > 1) set(TagFromName.PlanarConfiguration, "0");
  }

  /** A single-sample image; a CT Image Storage instance, which every tool here takes. */
  public static TestImage grayscale(TestInstances.Uids uids, int columns, int rows, int bitsAllocated, int bitsStored,
      boolean signed, String photometric) throws Exception {
    return new TestImage(uids, "1.2.840.10008.5.1.4.1.1.2", columns, rows, 1, bitsAllocated, bitsStored, signed,
        photometric);
  }

  /** An 8-bit RGB secondary capture image. */
  public static TestImage rgb(TestInstances.Uids uids, int columns, int rows) throws Exception {
    return new TestImage(uids, "1.2.840.10008.5.1.4.1.1.7", columns, rows, 3, 8, 8, false, "RGB");
  }

  public TestImage frames(int n) throws Exception {
    frames = n;
    return set(TagFromName.NumberOfFrames, Integer.toString(n));
  }

  public TestImage set(AttributeTag tag, String... values) throws Exception {
    list.remove(tag);
    Attribute attribute = list.putNewAttribute(tag);
    for (String value : values) attribute.addValue(value);
    return this;
  }

  /** A US (or, with {@code other}, OW) value: LUT descriptors and data. */
  public TestImage words(AttributeTag tag, boolean other, int... values) throws Exception {
    list.remove(tag);
    put(list, tag, other, values);
    return this;
  }

  /** A LUT item (PS3.3 C.11.1: LUT Descriptor US, LUT Data OW) for a Modality or VOI LUT Sequence. */
  public static AttributeList lutItem(int first, int bits, int[] data) throws Exception {
    AttributeList item = new AttributeList();
    put(item, TagFromName.LUTDescriptor, false, data.length, first, bits);
    put(item, TagFromName.LUTData, true, data);
    return item;
  }

  private static void put(AttributeList into, AttributeTag tag, boolean other, int... values) throws Exception {
    Attribute attribute = other ? new OtherWordAttribute(tag) : new com.pixelmed.dicom.UnsignedShortAttribute(tag);
    if (other) {
      short[] shorts = new short[values.length];
      for (int i = 0; i < values.length; i++) shorts[i] = (short) values[i];
      attribute.setValues(shorts);
    } else {
      for (int v : values) attribute.addValue(v);
    }
    into.put(attribute);
  }

  /** Adds an item, made by {@code item}, to a sequence. */
  public TestImage item(AttributeTag sequence, AttributeList item) {
    SequenceAttribute s = (SequenceAttribute) list.get(sequence);
    if (s == null) {
      s = new SequenceAttribute(sequence);
      list.put(s);
    }
    s.addItem(item);
    return this;
  }

  /** An item whose attributes are the tag/value pairs given (values as text). */
  public static AttributeList itemOf(Object... tagsAndValues) throws Exception {
    AttributeList item = new AttributeList();
    for (int i = 0; i < tagsAndValues.length; i += 2) {
      Object value = tagsAndValues[i + 1];
      if (value instanceof AttributeList nested) {
        SequenceAttribute s = new SequenceAttribute((AttributeTag) tagsAndValues[i]);
        s.addItem(nested);
        item.put(s);
      } else {
        item.putNewAttribute((AttributeTag) tagsAndValues[i]).addValue(value.toString());
      }
    }
    return item;
  }

  public Path write(Path dir, Pixels pixels) throws Exception {
    int count = frames * rows * columns * samples;
    if (bitsAllocated == 8) {
      byte[] bytes = new byte[count];
      fill(pixels, (i, v) -> bytes[i] = (byte) v);
      OtherByteAttribute data = new OtherByteAttribute(TagFromName.PixelData);
      data.setValues(bytes);
      list.put(data);
    } else {
      short[] shorts = new short[count];
      fill(pixels, (i, v) -> shorts[i] = (short) v);
      OtherWordAttribute data = new OtherWordAttribute(TagFromName.PixelData);
      data.setValues(shorts);
      list.put(data);
    }
    return TestInstances.writeAsSent(list, dir);
  }

  private interface Sink {
    void put(int index, int value);
  }

  private void fill(Pixels pixels, Sink sink) {
    int i = 0;
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < columns; x++) {
          for (int s = 0; s < samples; s++) sink.put(i++, pixels.value(f, x, y, s));
        }
      }
    }
  }
}
