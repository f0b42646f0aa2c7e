package dev.atrium.dicom;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the preamble and File Meta Information of a PS3.10 file (PS3.10 7.1: group 0002, explicit VR little
 * endian) and leaves the stream at the first byte of the data set, which then reads on unchanged: what a
 * C-STORE sends of a stored file.
 */
public final class FileMetaReader {
  private static final int MAX_META_VALUE = 64 * 1024;
  private static final byte[] DICM = {'D', 'I', 'C', 'M'};

  private FileMetaReader() {}

  /** What the meta information says about the data set, and the data set itself. */
  public record DataSet(String transferSyntaxUid, String sopClassUid, String sopInstanceUid, InputStream stream) {}

  /** Takes ownership of {@code part10}: closing the returned stream closes it. */
  public static DataSet open(InputStream part10) throws IOException, DicomParseException {
    BufferedInputStream buffered = new BufferedInputStream(part10, 64 * 1024);
    DataInputStream in = new DataInputStream(buffered);
    try {
      in.skipNBytes(128);
      byte[] magic = in.readNBytes(4);
      if (!Arrays.equals(magic, DICM)) {
        throw new DicomParseException("not a DICOM PS3.10 file: no 128-byte preamble followed by 'DICM'");
      }
      String transferSyntax = null, sopClass = null, sopInstance = null;
      while (true) {
        buffered.mark(2);
        int group = in.read() | in.read() << 8;
        buffered.reset();
        if (group != 0x0002) break;
        in.skipNBytes(2);
        int element = in.readUnsignedByte() | in.readUnsignedByte() << 8;
        String vr = new String(in.readNBytes(2), StandardCharsets.US_ASCII);
        long length;
        if (DicomStructure.LONG_VRS.contains(vr)) {
          in.skipNBytes(2);
          length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        } else {
          length = in.readUnsignedByte() | in.readUnsignedByte() << 8;
        }
        if (length > MAX_META_VALUE) {
          throw new DicomParseException(String.format("File Meta Information element (0002,%04X) declares %d bytes",
              element, length));
        }
        byte[] value = in.readNBytes((int) length);
        if (value.length < length) throw new EOFException();
        switch (element) {
          case 0x0002 -> sopClass = uid(value);
          case 0x0003 -> sopInstance = uid(value);
          case 0x0010 -> transferSyntax = uid(value);
          default -> { }
        }
      }
      if (transferSyntax == null) {
        throw new DicomParseException("the File Meta Information has no Transfer Syntax UID (0002,0010)");
      }
      return new DataSet(transferSyntax, sopClass, sopInstance, buffered);
    } catch (EOFException e) {
      buffered.close();
      throw new DicomParseException("the file ends inside its File Meta Information (truncated)", e);
    } catch (IOException | DicomParseException | RuntimeException e) {
      buffered.close();
      throw e;
    }
  }

  private static String uid(byte[] value) {
    return new String(value, StandardCharsets.US_ASCII).replace("\0", "").trim();
  }
}
