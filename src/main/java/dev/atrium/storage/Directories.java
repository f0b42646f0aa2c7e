package dev.atrium.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Directory operations the crash-safety of several components rests on. */
public final class Directories {
  private Directories() {}

  /** fsync of a directory: the names created, renamed or removed in it so far survive a power loss. */
  public static void sync(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
