package dev.atrium.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small tmpfs mounted for a test that needs a disk to fill up for real. Mounting needs root: elsewhere the test
 * is skipped (an assumption), not failed. Closing unmounts it and deletes its mount point.
 */
public final class SmallTmpfs implements AutoCloseable {
  private final Path path;

  private SmallTmpfs(Path path) {
    this.path = path;
  }

  /** Mounts a tmpfs of {@code size} (as mount takes it: "4m", "256k") at {@code at}, or at a new directory. */
  public static SmallTmpfs mount(Path at, String size) throws Exception {
    Path point = at != null ? Files.createDirectories(at) : Files.createTempDirectory("atrium-tmpfs");
    boolean mounted = Dcmtk.run(30, "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString())
        .exitCode() == 0;
    if (!mounted && at == null) TempFiles.delete(point);
    assumeTrue(mounted, "mounting a small tmpfs needs root");
    return new SmallTmpfs(point);
  }

  public Path path() {
    return path;
  }

  /** Fills the file system with {@code filler}, then frees {@code leave} bytes of it again. */
  public static void fill(Path filler, long leave) throws IOException {
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[16 * 1024];
      while (true) out.write(block);
    } catch (IOException full) {
      // No space left on device: what the test wants
    }
    if (leave <= 0) return;
    try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
      channel.truncate(Math.max(0, channel.size() - leave));
    }
  }

  @Override
  public void close() throws Exception {
    Dcmtk.run(30, "umount", path.toString());
    TempFiles.delete(path);
  }
}
