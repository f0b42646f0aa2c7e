package dev.atrium.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time on an embedded index. A second Atrium started on the same data directory took the first's
 * open-index marker for an unclean stop, rewrote the index file and dropped the journal the first was still writing:
 * what the first acknowledged afterwards was gone at its next start. An OS lock on {@code index/atrium.lock}, held
 * for the process's life (released by the OS however it ends), refuses the second start instead.
 */
public final class IndexLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private IndexLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of the index directory, or throws naming the process that holds it. */
  public static IndexLock acquire(Path indexDirectory) throws IOException {
    Files.createDirectories(indexDirectory);
    Path file = indexDirectory.resolve("atrium.lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
        throw new IOException("the index in " + indexDirectory + " is in use by another Atrium process"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": one process per data directory");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
          0);
      return new IndexLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
