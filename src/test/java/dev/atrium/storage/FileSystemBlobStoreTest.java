package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
  @TempDir Path root;
  private final List<FileSystemBlobStore> stores = new ArrayList<>();

  /** A store the test opened, closed after it (a store makes staging files ahead in the background). */
  private FileSystemBlobStore opened(FileSystemBlobStore store) {
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    for (FileSystemBlobStore store : stores) {
      try {
        store.close();
      } catch (IOException | RuntimeException e) {
        // closed by the test already, or crashed: its staging was taken over
      }
    }
  }

  @Test
  void blobsPlacedTogetherArePublishedInOneDirectory() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
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
    assertThat(text(store.open(b.key()))).isEqualTo("second");
  }

  @Test
  void aPlacedBlobNeverPublishedLeavesNothingAfterCloseOrRecovery() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    BlobWriter discarded = written(store, "discarded");
    discarded.place("1.2.3");
    discarded.close();
    BlobWriter crashed = written(store, "in flight at the crash");
    crashed.place("1.2.3");
    crashed.startSync();
    store.crash(); // recovery by the next process must find the renamed staging entry and drop it
    assertThat(opened(new FileSystemBlobStore(root)).recover(key -> false)).isZero();
    assertThat(files()).isEmpty();
  }

  /**
   * A power loss may keep any directory entry that was written but not yet synced. Recovery starts from the staging
   * entries, so the staging name must be on disk before the final name can be: otherwise a final name could survive
   * without it, an orphan that nothing would ever find. And the staging entry goes only once the final name is on
   * disk: until then it is what brings the final name back.
   */
  @Test
  void theStagingNameIsOnDiskBeforeTheFinalNameAndStaysUntilItIs() throws IOException {
    List<String> syncs = new ArrayList<>();
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root, dir -> {
      synchronized (syncs) {
        if (dir.getFileName().equals(Path.of(".staging"))) return; // a process's staging directory is made
        syncs.add(dir.getParent().getFileName().equals(Path.of(".staging"))
            ? "staging, final names " + finalNames() : root.relativize(dir) + ", staging " + stagingNames());
      }
    }));
    BlobWriter blob = written(store, "payload");
    blob.startSync();
    blob.place("1.2.3");
    store.publishAll(List.of(blob));
    String finalDir = root.relativize(store.pathOf(blob.key()).getParent()).toString();
    assertThat(syncs).contains("staging, final names []").noneMatch(s -> s.startsWith(finalDir));

    blob.confirm();
    store.close(); // as at a clean stop: what the timer would do a moment later, now
    assertThat(syncs.indexOf("staging, final names []"))
        .isLessThan(syncs.indexOf(finalDir + ", staging [" + blob.key() + ".tmp]"));
    assertThat(stagingNames()).isEmpty();
  }

  /**
   * A store writes into a staging file made ahead, whose name one directory sync per batch made durable: publishing
   * it syncs its data and no directory, and its final name comes after that batch's sync. A clean close removes the
   * files made ahead and not used.
   */
  @Test
  void aBlobWrittenIntoAFileMadeAheadWaitsForNoDirectorySyncOfItsOwn() throws Exception {
    List<Path> syncs = Collections.synchronizedList(new ArrayList<>());
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root, syncs::add));
    written(store, "the first, in a file of its own").close(); // and the first batch is made meanwhile
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (store.blanksReady() < BlankStagingFiles.BATCH && System.nanoTime() < deadline) Thread.sleep(10);
    List<String> madeAhead = blanks(store);
    assertThat(madeAhead).hasSize(BlankStagingFiles.BATCH);
    int syncsBefore = syncs.size();

    BlobWriter blob = written(store, "1.2.3");
    assertThat(madeAhead).contains(blob.key() + ".tmp");
    blob.startSync();
    blob.place("1.2.3");
    store.publishAll(List.of(blob));
    assertThat(syncs.subList(syncsBefore, syncs.size())).as("syncs of the staging directory for the publication")
        .doesNotContain(store.staging());
    assertThat(text(store.open(blob.key()))).isEqualTo("1.2.3");

    blob.confirm();
    store.close();
    assertThat(Files.exists(store.staging()) ? blanks(store) : List.of()).as("files made ahead left after a close")
        .isEmpty();
    assertThat(stagingNames()).isEmpty();
  }

  private static List<String> blanks(FileSystemBlobStore store) throws IOException {
    return stagingFilesIn(store.staging()).stream().filter(p -> p.toFile().length() == 0)
        .map(p -> p.getFileName().toString()).toList();
  }

  private static List<Path> stagingFilesIn(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void confirmedNamesAreSyncedShortlyAfterwardsInOneSyncPerDirectory() throws Exception {
    List<Path> syncs = Collections.synchronizedList(new ArrayList<>());
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root, syncs::add));
    List<BlobWriter> study = publishedInOneStudy(store, "i1", "i2", "i3", "i4", "i5");
    for (BlobWriter blob : study) blob.confirm();
    Path studyDir = store.pathOf(study.get(0).key()).getParent();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!stagingNames().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);

    assertThat(stagingNames()).as("staging entries once the final names are synced").isEmpty();
    assertThat(syncs.stream().filter(studyDir::equals)).as("syncs of the study's directory").hasSize(1);
  }

  /** In these tests a blob's content is its placement. */
  private static final BlobStore.Placement CONTENT_IS_PLACEMENT = (staged, size) -> {
    String content = text(staged.open());
    return content.startsWith("1.") ? content : null;
  };

  /**
   * What a power loss can do to a blob committed and acknowledged but not yet confirmed: its final name is gone,
   * and so may be its placing rename; its staging entry, synced under the name it was created with, is not.
   */
  @Test
  void aFinalNameLostBeforeItsSyncComesBackFromStagingEvenIfThePlacingRenameWasLostToo() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    BlobWriter linkLost = written(store, "1.2.3");
    BlobWriter renameLost = written(store, "1.2.4");
    BlobWriter incomplete = written(store, "cut sh");
    for (BlobWriter blob : List.of(linkLost, renameLost, incomplete)) {
      blob.startSync();
      blob.place(text(blob.openStaged()));
    }
    store.publishAll(List.of(linkLost, renameLost));
    Files.delete(store.pathOf(linkLost.key()));
    Files.delete(store.pathOf(renameLost.key()));
    String unplaced = (renameLost.key().startsWith("0000") ? "ffff" : "0000") + renameLost.key().substring(4);
    Files.move(store.staging().resolve(renameLost.key() + ".tmp"), store.staging().resolve(unplaced + ".tmp"));
    store.crash();

    FileSystemBlobStore restarted = opened(new FileSystemBlobStore(root));
    assertThat(restarted.restore(CONTENT_IS_PLACEMENT)).isEqualTo(2);
    assertThat(stagingNames()).containsExactlyInAnyOrder(linkLost.key() + ".tmp", renameLost.key() + ".tmp",
        incomplete.key() + ".tmp");
    assertThat(restarted.recover(key -> key.equals(linkLost.key()) || key.equals(renameLost.key()))).isZero();
    assertThat(text(restarted.open(linkLost.key()))).isEqualTo("1.2.3");
    assertThat(text(restarted.open(renameLost.key()))).isEqualTo("1.2.4");
    assertThat(stagingNames()).isEmpty();
    assertThat(files()).containsExactlyInAnyOrder(store.pathOf(linkLost.key()), store.pathOf(renameLost.key()));
  }

  /**
   * Nodes sharing a data directory: one starting (its recovery) leaves another's blobs in flight alone. It took them
   * for crash leftovers: stores under way on the other node failed, and an acknowledged one could lose its file.
   */
  @Test
  void aStoreStartingBesideALiveOneLeavesItsBlobsInFlightAlone() throws IOException {
    FileSystemBlobStore live = opened(new FileSystemBlobStore(root));
    BlobWriter inFlight = written(live, "1.2.3");
    inFlight.startSync();
    inFlight.place("1.2.3");
    live.publishAll(List.of(inFlight)); // linked, not yet committed by the live node's index

    FileSystemBlobStore starting = opened(new FileSystemBlobStore(root));
    assertThat(starting.restore(CONTENT_IS_PLACEMENT)).isZero();
    assertThat(starting.recover(key -> false)).as("none of the live node's blobs removed").isZero();
    assertThat(text(live.open(inFlight.key()))).isEqualTo("1.2.3");
    assertThat(stagingNames()).containsExactly(inFlight.key() + ".tmp");
  }

  @Test
  void recoveryKeepsACommittedBlobWhoseFinalNameWasLostEvenWithoutRestore() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    List<BlobWriter> published = publishedInOneStudy(store, "committed", "never committed");
    BlobWriter kept = published.get(0);
    Files.delete(store.pathOf(kept.key()));
    store.crash();

    assertThat(opened(new FileSystemBlobStore(root)).recover(key -> key.equals(kept.key()))).isEqualTo(1);
    assertThat(files()).containsExactly(store.pathOf(kept.key()));
  }

  /** The store writes the metadata document while the index commits; a delete may already have run by then. */
  @Test
  void aMetadataDocumentWrittenAfterItsBlobWasDeletedDoesNotStay() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    List<BlobWriter> published = publishedInOneStudy(store, "kept", "deleted");
    BlobWriter kept = published.get(0);
    BlobWriter deleted = published.get(1);
    store.delete(deleted.key());

    store.writeMetadata(kept.key(), "{}".getBytes(StandardCharsets.US_ASCII));
    store.writeMetadata(deleted.key(), "{}".getBytes(StandardCharsets.US_ASCII));

    assertThat(text(store.openMetadata(kept.key()))).isEqualTo("{}");
    assertThat(finalNames()).as("published files").noneMatch(p -> p.getFileName().toString().startsWith(deleted.key()));
    assertThat(files()).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
  }

  /** A document that cannot be put in its place (here: no published blob, so no directory) leaves nothing aside. */
  @Test
  void aMetadataDocumentThatCannotBePlacedLeavesNoPartFile() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    BlobWriter unpublished = written(store, "never published");
    unpublished.place("9.8.7");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.writeMetadata(unpublished.key(), "{}".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IOException.class);

    assertThat(files()).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
  }

  @Test
  void placingAfterPublishingIsRefused() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    BlobWriter blob = written(store, "x");
    blob.place("1.2.3");
    store.publishAll(List.of(blob));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> blob.place("1.2.4"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStagedBlobReadsBackWholeAcrossTheHeadKeptInMemoryBeforeAndAfterPlacing() throws IOException {
    FileSystemBlobStore store = opened(new FileSystemBlobStore(root));
    byte[] content = new byte[200_000];
    new java.util.Random(7).nextBytes(content);
    BlobWriter blob = store.create();
    var out = blob.output();
    out.write(content, 0, 364); // a PS3.10 header, then the data set in blocks of odd sizes, one byte alone
    out.write(content[364]);
    for (int at = 365; at < content.length; at += 30_001) {
      out.write(content, at, Math.min(30_001, content.length - at));
    }

    assertReadsBack(blob, content);
    blob.place("1.2.3");
    assertReadsBack(blob, content);
    store.publishAll(List.of(blob));
    try (InputStream published = store.open(blob.key())) {
      assertThat(published.readAllBytes()).isEqualTo(content);
    }
  }

  /** Whole; and from just before the 64 KiB kept in memory to past them, after a skip. */
  private static void assertReadsBack(BlobWriter blob, byte[] content) throws IOException {
    try (InputStream staged = blob.openStaged()) {
      assertThat(staged.readAllBytes()).isEqualTo(content);
    }
    try (InputStream staged = blob.openStaged()) {
      assertThat(staged.skip(60_000)).isEqualTo(60_000);
      assertThat(staged.readNBytes(10_000)).isEqualTo(java.util.Arrays.copyOfRange(content, 60_000, 70_000));
      assertThat(staged.skip(1_000_000)).isEqualTo(content.length - 70_000);
      assertThat(staged.read()).isEqualTo(-1);
    }
  }

  /** What every process has staged (not their directories and locks, nor the empty files made ahead). */
  private List<String> stagingNames() {
    return filesUnder(root.resolve(".staging"), p -> !isBlank(p) && !p.getFileName().toString().equals(".lock"))
        .stream().map(p -> p.getFileName().toString()).toList();
  }

  private List<Path> finalNames() {
    return filesUnder(root, p -> !p.startsWith(root.resolve(".staging")));
  }

  /**
   * The regular files under {@code dir} that {@code keep} takes. The store makes and removes staging files in the
   * background: one gone while they are listed makes the listing start again.
   */
  private static List<Path> filesUnder(Path dir, Predicate<Path> keep) {
    while (true) {
      if (!Files.exists(dir)) return List.of();
      try (Stream<Path> all = Files.walk(dir)) {
        return all.filter(Files::isRegularFile).filter(keep).toList();
      } catch (NoSuchFileException gone) {
        // listed again
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) throw e;
      }
    }
  }

  /** Blobs with these contents, placed in one study and published, in this order. */
  private static List<BlobWriter> publishedInOneStudy(BlobStore store, String... contents) throws IOException {
    List<BlobWriter> blobs = new ArrayList<>();
    for (String content : contents) {
      BlobWriter blob = written(store, content);
      blob.place("1.2.3");
      blobs.add(blob);
    }
    store.publishAll(blobs);
    return blobs;
  }

  private static String text(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static BlobWriter written(BlobStore store, String content) throws IOException {
    BlobWriter blob = store.create();
    blob.output().write(content.getBytes(StandardCharsets.US_ASCII));
    return blob;
  }

  /** Every file but the staging directories' locks. */
  private List<Path> files() {
    return filesUnder(root, p -> !p.getFileName().toString().equals(".lock") && !isBlank(p));
  }

  /** An empty staging file a store made ahead for a blob to come (BlankStagingFiles). */
  private boolean isBlank(Path file) {
    try {
      return file.startsWith(root.resolve(".staging")) && Files.size(file) == 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
