package dev.atrium.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging area of a blob store that several archive processes may share (nodes on one MariaDB and one data
 * directory): each process stages in a directory of its own, {@code .staging/<random id>}, and holds an OS lock on
 * its {@code .lock} file while it runs. A process starting takes over the directories whose lock it can take: those of
 * processes that are gone (their crash leftovers are its to recover), never those of live ones, whose entries are
 * blobs in flight. Files directly in {@code .staging} are an earlier version's and are taken over too.
 */
final class StagingDirectories implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StagingDirectories.class);
  private static final String LOCK = ".lock";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A directory whose lock this process holds. */
  private record Held(Path directory, FileChannel channel, FileLock lock) {
    void release() throws IOException {
      lock.release();
      channel.close();
    }
  }

  private final Path root;
  private final Held own;
  private final List<Held> adopted = new ArrayList<>();

  StagingDirectories(Path root, SharedDirectorySync.DirectorySync directorySync) throws IOException {
    this.root = root;
    Files.createDirectories(root);
    Held mine = null;
    while (mine == null) {
      byte[] id = new byte[8];
      RANDOM.nextBytes(id);
      Path directory = root.resolve(HexFormat.of().formatHex(id));
      if (Files.exists(directory)) continue;
      Files.createDirectory(directory);
      mine = tryHold(directory);
    }
    own = mine;
    directorySync.force(root); // the directory exists before anything staged in it is relied on
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path directory : entries) {
        if (directory.equals(own.directory())) continue;
        Held gone = tryHold(directory);
        if (gone != null) adopted.add(gone);
      }
    }
    if (!adopted.isEmpty()) log.info("recovery: taking over the staging of {} stopped process(es)", adopted.size());
  }

  /** This process's staging directory. */
  Path own() {
    return own.directory();
  }

  /** The entries a crash may have left: those of stopped processes, and an earlier version's. */
  List<Path> leftOver() throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root, Files::isRegularFile)) {
      files.forEach(entries::add);
    }
    for (Held gone : adopted) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(gone.directory(),
          f -> Files.isRegularFile(f) && !f.getFileName().toString().equals(LOCK))) {
        files.forEach(entries::add);
      }
    }
    return entries;
  }

  /** After recovery removed their entries: the stopped processes' directories go. */
  void recovered() throws IOException {
    for (Held gone : adopted) {
      Files.deleteIfExists(gone.directory().resolve(LOCK));
      gone.release();
      try {
        Files.deleteIfExists(gone.directory());
      } catch (IOException e) {
        log.warn("recovery: staging directory {} not removed: {}", gone.directory(), e.toString());
      }
    }
    adopted.clear();
  }

  /** The lock of {@code directory}, or null when a live process holds it. */
  private static Held tryHold(Path directory) throws IOException {
    FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return new Held(directory, channel, lock);
    } catch (OverlappingFileLockException e) {
      // held by this JVM (another archive in the same process, as tests run them): live
    }
    channel.close();
    return null;
  }

  /** As the process's death would: the locks go, everything staged stays (for tests of recovery). */
  void releaseAsACrashWould() throws IOException {
    own.release();
    for (Held gone : adopted) gone.release();
  }

  /** At a clean stop: this process's directory goes when nothing is left in it; its lock is released either way. */
  @Override
  public void close() throws IOException {
    boolean empty;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(own.directory(),
        f -> !f.getFileName().toString().equals(LOCK))) {
      empty = !files.iterator().hasNext();
    }
    if (empty) Files.deleteIfExists(own.directory().resolve(LOCK));
    own.release();
    if (empty) Files.deleteIfExists(own.directory());
    for (Held gone : adopted) gone.release();
  }
}
