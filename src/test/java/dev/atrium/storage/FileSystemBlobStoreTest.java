package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * A power loss may keep any directory entry that was written but not yet synced. Recovery starts from the staging
   * entries, so the staging name must be on disk before the final name can be: otherwise a final name could survive
   * without it, an orphan that nothing would ever find.
   */
  @Test
  void theStagingNameIsOnDiskBeforeTheFinalName() throws IOException {
    List<String> syncs = new ArrayList<>();
    FileSystemBlobStore store = new FileSystemBlobStore(root, dir -> {
      synchronized (syncs) {
        syncs.add(dir.getFileName().equals(Path.of(".staging"))
            ? "staging, final names " + finalNames() : root.relativize(dir).toString());
      }
    });
    BlobWriter blob = written(store, "payload");
    blob.startSync();
    blob.place("1.2.3");
    store.publishAll(List.of(blob));

    String finalDir = root.relativize(store.pathOf(blob.key()).getParent()).toString();
    assertThat(syncs).contains("staging, final names []", finalDir);
    assertThat(syncs.indexOf("staging, final names []")).isLessThan(syncs.indexOf(finalDir));
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

  private List<Path> finalNames() {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root.resolve(".staging"))).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
