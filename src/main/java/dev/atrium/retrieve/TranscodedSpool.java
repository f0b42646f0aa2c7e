package dev.atrium.retrieve;

import dev.atrium.dicom.UnsupportedTranscodingException;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An instance transcoded into a temporary file before any of it is sent, for a protocol that cannot take back
 * what it sent: a C-STORE sub-operation whose data set broke off halfway (a frame that does not decode) would
 * leave the association to be aborted, and with it every later instance of the C-MOVE or C-GET. Spooled first,
 * such an instance is one failed sub-operation. The file is unlinked as soon as it is open (nothing is left behind
 * by a crash) and lies in the archive's data directory, not in a /tmp that may be memory.
 */
public final class TranscodedSpool implements Closeable {
  private static final int BUFFER = 64 * 1024;
  private final FileChannel channel;
  private final long size;

  private TranscodedSpool(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  /** Writes the data set through {@code writer} into a new spool in {@code directory}; on failure nothing remains. */
  static TranscodedSpool write(Path directory, SpoolWriter writer)
      throws IOException, UnsupportedTranscodingException {
    Path file = Files.createTempFile(directory, "transcoded-", ".part");
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } finally {
      Files.delete(file); // the open channel keeps the bytes; the name goes now
    }
    try {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
      writer.write(out);
      out.flush(); // not closed: that would close the channel
      return new TranscodedSpool(channel, channel.position());
    } catch (IOException | UnsupportedTranscodingException | RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  /** Writes a data set into a spool. */
  @FunctionalInterface
  interface SpoolWriter {
    void write(OutputStream out) throws IOException, UnsupportedTranscodingException;
  }

  /** The spooled bytes, from the first, through {@code buffer}. */
  public void copyTo(OutputStream out, byte[] buffer) throws IOException {
    long position = 0;
    while (position < size) {
      int n = channel.read(ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, size - position)), position);
      if (n < 0) throw new IOException("the transcoded spool ended " + (size - position) + " bytes early");
      out.write(buffer, 0, n);
      position += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
