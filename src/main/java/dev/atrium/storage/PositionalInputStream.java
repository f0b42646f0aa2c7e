package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An independent stream over an open file channel, by positional reads: several may read the
 * same channel at once, each from its own offset, and none closes the channel. The file's first
 * bytes may come from a copy in memory instead ({@code head}).
 */
public final class PositionalInputStream extends InputStream {
  private static final byte[] NO_HEAD = {};
  private final FileChannel channel;
  private final byte[] head;
  private final int headLength;
  private long position;

  public PositionalInputStream(FileChannel channel) {
    this(channel, NO_HEAD, 0);
  }

  /** @param head the file's first {@code headLength} bytes, read from there rather than from the file */
  public PositionalInputStream(FileChannel channel, byte[] head, int headLength) {
    this.channel = channel;
    this.head = head;
    this.headLength = headLength;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (position < headLength) {
      int n = (int) Math.min(len, headLength - position);
      System.arraycopy(head, (int) position, b, off, n);
      position += n;
      return n;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, len), position);
    if (n > 0) position += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = Math.max(0, Math.min(n, channel.size() - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - position));
  }
}
