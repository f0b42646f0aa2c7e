package dev.atrium.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A small data set that comes without File Meta Information (a DIMSE identifier or request), read whole. */
final class BareDataSet {
  private BareDataSet() {}

  /** {@code what} names it in the messages ("the identifier"); beyond {@code maxBytes} it is refused. */
  static AttributeList read(InputStream in, String transferSyntaxUid, int maxBytes, String what)
      throws IOException, DicomParseException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) throw new DicomParseException(what + " is larger than " + maxBytes + " bytes");
    AttributeList list = new AttributeList();
    try {
      // PixelMed accepts a truncated data set silently: check the framing first.
      DicomStructure.verifyDataSet(new ByteArrayInputStream(bytes), bytes.length, transferSyntaxUid);
      // false: no meta information header, the data set is in transferSyntaxUid.
      list.read(new DicomInputStream(new ByteArrayInputStream(bytes), transferSyntaxUid, false));
    } catch (EOFException e) {
      throw new DicomParseException(what + " ends in the middle of an element (truncated)", e);
    } catch (DicomException | IOException | RuntimeException e) {
      throw new DicomParseException(what + " cannot be parsed: " + e.getMessage(), e);
    }
    return list;
  }
}
