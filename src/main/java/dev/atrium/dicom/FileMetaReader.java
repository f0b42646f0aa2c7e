package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The File Meta Information of a PS3.10 file (PS3.10 7.1: group 0002, explicit VR little endian), read by
 * {@link Part10File}, and the stream left at the first byte of the data set, which then reads on unchanged: what a
 * C-STORE sends of a stored file.
 */
public final class FileMetaReader {
  private FileMetaReader() {}

  /**
   * What the meta information says about the data set, and the data set itself: {@code stream} reads it from
   * {@code offset}, its first byte's offset in the file, to the end of the file.
   */
  public record DataSet(String transferSyntaxUid, String sopClassUid, String sopInstanceUid, long offset,
      InputStream stream) {}

  /** Takes ownership of {@code part10}: closing the returned stream closes it. */
  public static DataSet open(InputStream part10) throws IOException, DicomParseException {
    try {
      Part10File file = Part10File.read(part10);
      return new DataSet(file.transferSyntaxUid, file.sopClassUid, file.sopInstanceUid, file.dataSetOffset,
          file.storedDataSet);
    } catch (EOFException e) {
      part10.close();
      throw new DicomParseException("the file ends inside its File Meta Information (truncated)", e);
    } catch (IOException | DicomParseException | RuntimeException e) {
      part10.close();
      throw e;
    }
  }
}
