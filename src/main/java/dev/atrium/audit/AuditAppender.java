package dev.atrium.audit;

import dev.atrium.storage.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the audit trail's records to its live file, which nodes sharing a data directory share: each batch is
 * written under an OS lock on {@code audit.lock}, after making sure the file written is still the live one (another
 * node may have closed it). Once the live file would grow past {@code closeAtBytes} it is closed: renamed to the next
 * {@code audit-N.log} and a new one begun ({@link AuditFiles}), so that no file grows without bound and none has to
 * be copied and truncated under a writer (which would leave the syslog forwarder's offset past its end). With
 * {@code keepClosed} above zero, the oldest closed files beyond that many are removed, never one the forwarder has
 * not sent.
 */
final class AuditAppender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditAppender.class);
  /** One lock holder per directory in this JVM: an OS lock is held per process, not per thread. */
  private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

  private final AuditFiles files;
  private final long closeAtBytes;
  private final int keepClosed;
  /** The forwarder's saved position (what may be removed), or null when nothing is forwarded. */
  private final Path forwarded;
  private final FileChannel lockFile;
  private final Object inProcess;
  private FileChannel channel;
  private Object openFile; // the file key of what channel writes

  /**
   * @param closeAtBytes 0: the live file is never closed
   * @param keepClosed 0: closed files are kept, however many
   */
  AuditAppender(AuditFiles files, long closeAtBytes, int keepClosed, Path forwarded) throws IOException {
    this.files = files;
    this.closeAtBytes = closeAtBytes;
    this.keepClosed = keepClosed;
    this.forwarded = forwarded;
    Files.createDirectories(files.directory());
    this.lockFile = FileChannel.open(files.directory().resolve("audit.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    this.inProcess = IN_PROCESS.computeIfAbsent(files.directory().toAbsolutePath().normalize(), d -> new Object());
    synchronized (inProcess) {
      try (FileLock ignored = lockFile.lock()) {
        open();
      }
    }
  }

  /**
   * Appends the bytes whole to the live file, or, when that fails, not at all (what part was written is cut);
   * {@code force}: and fdatasyncs the file, the bytes cut too when that fails (the caller writes them again).
   */
  void append(ByteBuffer bytes, boolean force) throws IOException {
    synchronized (inProcess) {
      try (FileLock ignored = lockFile.lock()) {
        if (!channel.isOpen() || !isLive()) open();
        if (closeAtBytes > 0 && channel.size() > 0 && channel.size() + bytes.remaining() > closeAtBytes) closeLive();
        long complete = channel.size();
        try {
          while (bytes.hasRemaining()) channel.write(bytes);
          if (force) channel.force(false);
        } catch (IOException | RuntimeException e) {
          truncateTo(complete); // else the retry would follow a half record on its line
          throw e;
        }
      }
    }
  }

  /** Whether the channel still writes the live file (another node may have closed it, or it is gone). */
  private boolean isLive() throws IOException {
    try {
      return Objects.equals(openFile, Files.readAttributes(files.live(), BasicFileAttributes.class).fileKey());
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void open() throws IOException {
    if (channel != null && channel.isOpen()) {
      channel.force(false); // what this node wrote to a file another node closed is on disk before it moves on
      channel.close();
    }
    channel = FileChannel.open(files.live(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    openFile = Files.readAttributes(files.live(), BasicFileAttributes.class).fileKey();
  }

  /** Renames the live file to the next closed name and begins a new one; both names on disk before a record. */
  private void closeLive() throws IOException {
    channel.force(false);
    long number = files.liveNumber();
    Files.move(files.live(), files.closed(number), StandardCopyOption.ATOMIC_MOVE);
    open();
    Directories.sync(files.directory());
    log.info("audit trail: {} closed at {} bytes as {}", AuditFiles.LIVE, Files.size(files.closed(number)),
        files.closed(number).getFileName());
    removeOldest();
  }

  /** The oldest closed files beyond {@code keepClosed}, each only once the forwarder has sent it. */
  private void removeOldest() {
    if (keepClosed <= 0) return;
    try {
      List<Long> closed = files.closedNumbers();
      long sentBefore = forwarded == null ? Long.MAX_VALUE : SpoolPosition.read(forwarded).file();
      for (int i = 0; i < closed.size() - keepClosed && closed.get(i) < sentBefore; i++) {
        Files.deleteIfExists(files.closed(closed.get(i)));
      }
    } catch (IOException e) {
      log.warn("audit trail: closed files beyond audit.keepClosedFiles not removed: {}", e.toString());
    }
  }

  private void truncateTo(long size) {
    try {
      if (channel.size() > size) channel.truncate(size);
    } catch (IOException e) {
      log.error("audit trail: cannot cut a partly written batch from {}: {}", files.live(), e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (channel.isOpen()) channel.force(false); // closed when the writer was interrupted in a write
    } finally {
      channel.close();
      lockFile.close();
    }
  }
}
