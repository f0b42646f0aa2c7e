package dev.atrium.support;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Makes test instances from a real file with new UIDs (a fixture maker, not archive code). */
public final class TestInstances {
  private static final AtomicLong COUNTER = new AtomicLong(System.currentTimeMillis() % 100000);

  private TestInstances() {}

  public record Uids(String study, String series, String sop) {}

  public static String newUid() {
    return "2.25." + Math.abs(System.nanoTime() % 1_000_000_000L) + COUNTER.incrementAndGet();
  }

  /** CT_small.dcm with new study/series/instance UIDs, written to dir. */
  public static Path ct(Path dir, Uids uids) throws Exception {
    return copyWith(Corpus.testFile("CT_small.dcm"), dir, uids);
  }

  public static Path copyWith(Path source, Path dir, Uids uids) throws Exception {
    return copyWith(source, dir, uids, java.util.Map.of());
  }

  /** With other attribute values too (tag → value; PN, DA, LO, CS … written as text). */
  public static Path ct(Path dir, Uids uids, java.util.Map<AttributeTag, String> values) throws Exception {
    return copyWith(Corpus.testFile("CT_small.dcm"), dir, uids, values);
  }

  /** With other attribute values, then any other edit (private attributes of a given VR, …). */
  public static Path ct(Path dir, Uids uids, java.util.Map<AttributeTag, String> values,
      java.util.function.Consumer<AttributeList> edit) throws Exception {
    return copyWith(Corpus.testFile("CT_small.dcm"), dir, uids, values, edit);
  }

  /** A copy of any file with new UIDs and other attribute values (tag → value, written as text). */
  public static Path copyWith(Path source, Path dir, Uids uids, java.util.Map<AttributeTag, String> values)
      throws Exception {
    return copyWith(source, dir, uids, values, list -> { });
  }

  private static Path copyWith(Path source, Path dir, Uids uids, java.util.Map<AttributeTag, String> values,
      java.util.function.Consumer<AttributeList> edit) throws Exception {
    AttributeList list = new AttributeList();
    list.read(source.toFile());
    edit.accept(list);
    for (var value : values.entrySet()) {
      list.remove(value.getKey());
      list.putNewAttribute(value.getKey()).addValue(value.getValue());
    }
    set(list, TagFromName.StudyInstanceUID, uids.study());
    set(list, TagFromName.SeriesInstanceUID, uids.series());
    set(list, TagFromName.SOPInstanceUID, uids.sop());
    asSentByStorescu(list);
    return write(list, dir, "inst");
  }

  /** Writes the file with an attribute removed or set to a raw value (for invalid-input tests). */
  public static Path withValue(Path source, Path dir, AttributeTag tag, String valueOrNullToRemove) throws Exception {
    AttributeList list = new AttributeList();
    list.read(source.toFile());
    asSentByStorescu(list);
    if (valueOrNullToRemove == null) list.remove(tag);
    else set(list, tag, valueOrNullToRemove);
    return write(list, dir, "bad");
  }

  /**
   * Written as storescu sends it: no group lengths, no trailing padding, sequences with explicit
   * lengths (dcmtk re-encodes all three on the wire), and fresh File Meta Information, so
   * "stored as received" can be compared byte for byte.
   */
  private static void asSentByStorescu(AttributeList list) throws Exception {
    list.removeGroupLengthAttributes();
    list.removeMetaInformationHeaderAttributes();
    list.remove(TagFromName.DataSetTrailingPadding);
    FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "ATRIUMTEST");
  }

  /** A data set of the test's own making (new UIDs already in it), written as storescu would send it. */
  public static Path writeAsSent(AttributeList list, Path dir) throws Exception {
    asSentByStorescu(list);
    return write(list, dir, "made");
  }

  private static Path write(AttributeList list, Path dir, String prefix) throws Exception {
    Path out = Files.createTempFile(dir, prefix, ".dcm");
    list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    Dcmtk.Result normalized = Dcmtk.run(30, "dcmconv", "-g", "+e", out.toString(), out.toString());
    if (normalized.exitCode() != 0) throw new IllegalStateException("dcmconv failed: " + normalized.output());
    return out;
  }

  public static Uids fresh() {
    return new Uids(newUid(), newUid(), newUid());
  }

  private static void set(AttributeList list, AttributeTag tag, String value) throws Exception {
    Attribute attribute = list.get(tag);
    if (attribute == null) {
      attribute = new com.pixelmed.dicom.UniqueIdentifierAttribute(tag);
      list.put(attribute);
    }
    attribute.setValue(value);
  }
}
