package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
  @TempDir Path root;

  @Test
  void blobsPlacedTogetherArePublishedInOneDirectory() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    BlobWriter a = written(store, "first");
    BlobWriter b = written(store, "second");
    BlobWriter other = written(store, "other study");
    a.place("1.2.3");
    b.place("1.2.3");
    other.place("1.2.4");
    store.publishAll(List.of(a, b, other));

    assertThat(store.pathOf(a.key()).getParent()).isEqualTo(store.pathOf(b.key()).getParent());
    assertThat(store.pathOf(other.key()).getParent()).isNotEqualTo(store.pathOf(a.key()).getParent());
    assertThat(a.key()).isNotEqualTo(b.key()).startsWith(FileSystemBlobStore.groupOf("1.2.3"));
    assertThat(new String(store.open(b.key()).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second");
  }

  @Test
  void aPlacedBlobNeverPublishedLeavesNothingAfterCloseOrRecovery() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    BlobWriter discarded = written(store, "discarded");
    discarded.place("1.2.3");
    discarded.close();
    BlobWriter crashed = written(store, "in flight at the crash");
    crashed.place("1.2.3");
    crashed.startSync();
    // the process dies here: recovery must find the renamed staging entry and drop it
    assertThat(store.recover(key -> false)).isZero();
    assertThat(files()).isEmpty();
  }

  @Test
  void placingAfterPublishingIsRefused() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    BlobWriter blob = written(store, "x");
    blob.place("1.2.3");
    store.publishAll(List.of(blob));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> blob.place("1.2.4"))
        .isInstanceOf(IllegalStateException.class);
  }

  private static BlobWriter written(BlobStore store, String content) throws IOException {
    BlobWriter blob = store.create();
    blob.output().write(content.getBytes(StandardCharsets.US_ASCII));
    return blob;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
