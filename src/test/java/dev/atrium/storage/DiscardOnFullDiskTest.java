package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.SmallTmpfs;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A store that fails on a full disk (a 1 MB tmpfs; root is needed to mount it) discards its blob. The discard
 * flushed the buffered bytes first, that flush failed too, and the staging file stayed until the next start: a
 * black-box run on a full disk counted 161 of them.
 */
class DiscardOnFullDiskTest {
  @Test
  void aBlobDiscardedOnAFullDiskLeavesNoStagingFile() throws Exception {
    try (SmallTmpfs disk = SmallTmpfs.mount(null, "1m")) {
      FileSystemBlobStore store = new FileSystemBlobStore(disk.path().resolve("blobs"));
      SmallTmpfs.fill(disk.path().resolve("filler"), 0);
      BlobWriter blob = store.create();
      blob.output().write(new byte[1000]); // buffered: only the flush of the discard meets the full disk
      blob.close();
      assertThat(store.staging().resolve(blob.key() + ".tmp")).doesNotExist();
      try (Stream<java.nio.file.Path> staged = Files.list(store.staging())) {
        assertThat(staged.filter(p -> !p.getFileName().toString().equals(".lock")))
            .as("only the empty files made ahead for later blobs").allMatch(p -> p.toFile().length() == 0);
      }
      store.close();
    }
  }
}
