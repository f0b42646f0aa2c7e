package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The File Meta Information of a PS3.10 file (PS3.10 7.1: group 0002, explicit VR little endian), read by
 * {@link Part10File}, and where the data set begins: what a C-STORE sends of a stored file is the rest of the file.
 */
public final class FileMetaReader {
  private FileMetaReader() {}

  /**
   * What the meta information says about the data set, and {@code offset}, the file offset of the data set's first
   * byte (still deflated, for a deflated syntax, from there to the end of the file).
   */
  public record DataSet(String transferSyntaxUid, String sopClassUid, String sopInstanceUid, long offset) {}

  /** Reads the meta information from the start of {@code part10}, and closes it. */
  public static DataSet read(InputStream part10) throws IOException, DicomParseException {
    try (Part10File file = Part10File.read(part10)) {
      return new DataSet(file.transferSyntaxUid, file.sopClassUid, file.sopInstanceUid, file.dataSetOffset);
    } catch (EOFException e) {
      throw new DicomParseException("the file ends inside its File Meta Information (truncated)", e);
    }
  }
}
