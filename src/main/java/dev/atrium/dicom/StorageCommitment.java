package dev.atrium.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data sets of the Storage Commitment Push Model (PS3.4 J.3): the N-ACTION request that names instances, and the
 * N-EVENT-REPORT that answers which of them the archive keeps safe (PS3.4 Table J.3-2) and which it does not.
 */
public final class StorageCommitment {
  public static final String SOP_CLASS = "1.2.840.10008.1.20.1";
  /** The well-known SOP Instance of the class (PS3.4 J.3.5): the only one an N-ACTION may name. */
  public static final String SOP_INSTANCE = "1.2.840.10008.1.20.1.1";
  /** Failure Reason (0008,1197), PS3.4 J.3.2.1.3.1: no such object instance. */
  public static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
  /** Failure Reason: the instance is stored under another SOP Class. */
  public static final int CLASS_INSTANCE_CONFLICT = 0x0119;

  private static final int RETRIEVE_AE_TITLE = 0x0008_0054;
  private static final int REFERENCED_SOP_CLASS_UID = 0x0008_1150;
  private static final int REFERENCED_SOP_INSTANCE_UID = 0x0008_1155;
  private static final int TRANSACTION_UID = 0x0008_1195;
  private static final int FAILED_SOP_SEQUENCE = 0x0008_1198;
  private static final int REFERENCED_SOP_SEQUENCE = 0x0008_1199;
  private static final int FAILURE_REASON = 0x0008_1197;
  /** A request names its instances by two UIDs each: 16 MiB is some hundred thousand of them. */
  private static final int MAX_REQUEST_BYTES = 16 << 20;

  private StorageCommitment() {}

  /** One instance: its SOP Class and SOP Instance UIDs. */
  public record Reference(String sopClassUid, String sopInstanceUid) {}

  /** An instance the archive cannot commit to, and why (a Failure Reason code). */
  public record Failure(Reference reference, int reason) {}

  /** What an N-ACTION asks: a transaction, and the instances to commit to. */
  public record Request(String transactionUid, List<Reference> references) {}

  /** Reads an N-ACTION-RQ's data set; a missing or malformed attribute is refused with a message naming it. */
  public static Request read(InputStream in, String transferSyntaxUid) throws IOException, DicomParseException {
    AttributeList list = BareDataSet.read(in, transferSyntaxUid, MAX_REQUEST_BYTES,
        "the storage commitment request");
    String transaction = text(list, TRANSACTION_UID);
    if (!DicomUid.isValid(transaction)) {
      throw new DicomParseException("Transaction UID (0008,1195) is missing or not a UID: '" + transaction + "'");
    }
    Attribute sequence = list.get(tag(REFERENCED_SOP_SEQUENCE));
    if (!(sequence instanceof SequenceAttribute items) || items.getNumberOfItems() == 0) {
      throw new DicomParseException("Referenced SOP Sequence (0008,1199) is missing or empty");
    }
    List<Reference> references = new ArrayList<>(items.getNumberOfItems());
    for (int i = 0; i < items.getNumberOfItems(); i++) {
      AttributeList item = items.getItem(i).getAttributeList();
      Reference reference = new Reference(text(item, REFERENCED_SOP_CLASS_UID),
          text(item, REFERENCED_SOP_INSTANCE_UID));
      if (!DicomUid.isValid(reference.sopClassUid()) || !DicomUid.isValid(reference.sopInstanceUid())) {
        throw new DicomParseException("Referenced SOP Sequence item " + (i + 1) + " lacks a valid Referenced SOP "
            + "Class UID (0008,1150) or Referenced SOP Instance UID (0008,1155)");
      }
      references.add(reference);
    }
    return new Request(transaction, references);
  }

  /**
   * The N-EVENT-REPORT-RQ's data set (PS3.4 Table J.3-2): the transaction, where the instances can be retrieved,
   * those committed and those not, each with its reason.
   */
  public static byte[] report(String transferSyntaxUid, String transactionUid, String retrieveAeTitle,
      List<Reference> committed, List<Failure> failed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 140 * (committed.size() + failed.size()));
    TransferSyntax syntax = TransferSyntax.of(transferSyntaxUid);
    ElementWriter out = new ElementWriter(bytes, syntax.explicitVr(), syntax.littleEndian());
    text(out, RETRIEVE_AE_TITLE, "AE", retrieveAeTitle, (byte) ' ');
    text(out, TRANSACTION_UID, "UI", transactionUid, (byte) 0);
    if (!failed.isEmpty()) {
      out.header(FAILED_SOP_SEQUENCE, "SQ", ElementReader.UNDEFINED);
      for (Failure failure : failed) {
        out.item();
        references(out, failure.reference());
        byte[] reason = {(byte) failure.reason(), (byte) (failure.reason() >>> 8)}; // little endian, swapped if not
        out.element(FAILURE_REASON, "US", reason, !out.littleEndian());
        out.itemEnd();
      }
      out.sequenceEnd();
    }
    if (!committed.isEmpty()) {
      out.header(REFERENCED_SOP_SEQUENCE, "SQ", ElementReader.UNDEFINED);
      for (Reference reference : committed) {
        out.item();
        references(out, reference);
        out.itemEnd();
      }
      out.sequenceEnd();
    }
    return bytes.toByteArray();
  }

  private static void references(ElementWriter out, Reference reference) throws IOException {
    text(out, REFERENCED_SOP_CLASS_UID, "UI", reference.sopClassUid(), (byte) 0);
    text(out, REFERENCED_SOP_INSTANCE_UID, "UI", reference.sopInstanceUid(), (byte) 0);
  }

  /** A text value, padded to even length (PS3.5 7.1.1: UI with NUL, others with a space). */
  private static void text(ElementWriter out, int tag, String vr, String value, byte pad) throws IOException {
    byte[] padded = Arrays.copyOf(value.getBytes(StandardCharsets.US_ASCII), value.length() + (value.length() & 1));
    if (padded.length > value.length()) padded[value.length()] = pad;
    out.element(tag, vr, padded, false);
  }

  private static String text(AttributeList list, int tag) {
    Attribute attribute = list.get(tag(tag));
    return attribute == null ? "" : attribute.getSingleStringValueOrEmptyString().strip();
  }

  private static AttributeTag tag(int tag) {
    return new AttributeTag(tag >>> 16, tag & 0xFFFF);
  }
}
