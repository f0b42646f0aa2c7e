package dev.atrium.store;

import static dev.atrium.index.schema.Tables.COUNTER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.delete.DeleteService;
import dev.atrium.index.BlobGarbage;
import dev.atrium.index.ChangeFeedIndex;
import dev.atrium.index.Database;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.index.InstanceIndex;
import dev.atrium.index.InstanceLocator;
import dev.atrium.index.StoredInstance;
import dev.atrium.storage.FileSystemBlobStore;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal makes again what the embedded index lost in a crash: stores and deletes. H2's loss is a prefix of its commits (it reopens
 * at an earlier version); here the index file is put back to a copy taken after the first store, on a real H2 index
 * and file store, as a crash that lost the next two would leave it.
 */
class JournalReplayTest {
  private static final AtriumConfig.Db EMBEDDED = new AtriumConfig.Db("", "", "", 2);

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void anAcknowledgedInstanceIsInTheJournalWhenTheStoreReturns() throws Exception {
    TestInstances.Uids uids = TestInstances.fresh();
    String blobKey;
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.stow(TestInstances.ct(files, uids))).isEqualTo(StoreOutcome.Status.STORED);
      blobKey = new InstanceLocator(db).find("DEFAULT", uids.study(), uids.series(), uids.sop()).orElseThrow()
          .blobKey();
    } // closed as a crash leaves it: the journal not cleared
    try (IndexJournal reopened = IndexJournal.open(journalDir())) {
      assertThat(reopened.leftOver(0)).singleElement().isInstanceOfSatisfying(IndexJournal.Stored.class, s -> {
        assertThat(s.blobKey()).isEqualTo(blobKey);
        assertThat(s.partition()).isEqualTo("DEFAULT");
        assertThat(s.sequence()).isPositive();
      });
    }
  }

  @Test
  void instancesTheIndexLostAreIndexedAgainFromTheirFiles() throws Exception {
    TestInstances.Uids first = TestInstances.fresh();
    TestInstances.Uids second = TestInstances.fresh();
    TestInstances.Uids third = TestInstances.fresh();
    Map<TestInstances.Uids, Path> sent = new LinkedHashMap<>();
    for (TestInstances.Uids uids : List.of(first, second, third)) sent.put(uids, TestInstances.ct(files, uids));

    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.stow(sent.get(first))).isEqualTo(StoreOutcome.Status.STORED);
    }
    Path snapshot = snapshotIndex();
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.replay()).as("nothing lost yet").isZero();
      assertThat(archive.stow(sent.get(second))).isEqualTo(StoreOutcome.Status.STORED);
      assertThat(archive.stow(sent.get(third))).isEqualTo(StoreOutcome.Status.STORED);
    }
    restoreIndex(snapshot); // the crash: the last two commits gone

    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      InstanceLocator locator = new InstanceLocator(db);
      assertThat(locator.find("DEFAULT", second.study(), second.series(), second.sop())).isEmpty();
      long changesBefore = new ChangeFeedIndex(db).lastSequence();

      assertThat(archive.replay()).isEqualTo(2);

      for (var instance : sent.entrySet()) {
        TestInstances.Uids uids = instance.getKey();
        StoredInstance row = locator.find("DEFAULT", uids.study(), uids.series(), uids.sop()).orElseThrow();
        try (InputStream in = archive.blobs.open(row.blobKey())) {
          assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(instance.getValue()));
        }
      }
      assertThat(new ChangeFeedIndex(db).lastSequence()).as("the change feed tells of them again")
          .isEqualTo(changesBefore + 2);
      assertThat(archive.journal.leftOver(0)).isEmpty();
    }
    try (IndexJournal reopened = IndexJournal.open(journalDir())) {
      assertThat(reopened.leftOver(0)).as("what the replay wrote is journaled in its turn, once")
          .extracting(IndexJournal.Record::sequence).doesNotHaveDuplicates().hasSize(2);
    }
  }

  @Test
  void aJournaledInstanceWhoseBytesTheCrashCutShortIsNotIndexed() throws Exception {
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      archive.replay(); // an empty index, to go back to
    }
    Path snapshot = snapshotIndex();
    TestInstances.Uids whole = TestInstances.fresh();
    TestInstances.Uids cutShort = TestInstances.fresh();
    String cutBlob;
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      for (TestInstances.Uids uids : List.of(whole, cutShort)) {
        assertThat(archive.stow(TestInstances.ct(files, uids))).isEqualTo(StoreOutcome.Status.STORED);
      }
      cutBlob = new InstanceLocator(db).find("DEFAULT", cutShort.study(), cutShort.series(), cutShort.sop())
          .orElseThrow().blobKey();
    }
    // The crash: both commits gone, and the second blob's last bytes, whose flush the journal line did not wait
    // for, never reached the disk (zeros where they were, the size already on disk).
    restoreIndex(snapshot);
    Path file = dataDir.resolve("blobs").resolve(cutBlob.substring(0, 2)).resolve(cutBlob.substring(2, 4))
        .resolve(cutBlob);
    byte[] bytes = Files.readAllBytes(file);
    java.util.Arrays.fill(bytes, bytes.length - 100, bytes.length, (byte) 0);
    Files.write(file, bytes);

    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.replay()).as("only the whole one").isEqualTo(1);
      InstanceLocator locator = new InstanceLocator(db);
      assertThat(locator.find("DEFAULT", whole.study(), whole.series(), whole.sop())).isPresent();
      assertThat(locator.find("DEFAULT", cutShort.study(), cutShort.series(), cutShort.sop())).isEmpty();
    }
  }

  @Test
  void aChangeFeedCounterThatCameBackBehindItsLastChangeIsMovedOn() throws Exception {
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.stow(TestInstances.ct(files, TestInstances.fresh()))).isEqualTo(StoreOutcome.Status.STORED);
      ChangeFeedIndex changes = new ChangeFeedIndex(db);
      assertThat(changes.alignCounter()).as("nothing to do after a clean store").isFalse();
      // What H2 came back with once after a SIGKILL: the last change's row, without its counter update.
      db.dsl().update(COUNTER).set(COUNTER.NEXT_VALUE, changes.lastSequence()).execute();
      assertThat(archive.stow(TestInstances.ct(files, TestInstances.fresh())))
          .as("the next store collides with the last change").isNotEqualTo(StoreOutcome.Status.STORED);

      assertThat(changes.alignCounter()).isTrue();
      long last = changes.lastSequence();
      assertThat(archive.stow(TestInstances.ct(files, TestInstances.fresh()))).isEqualTo(StoreOutcome.Status.STORED);
      assertThat(changes.lastSequence()).isEqualTo(last + 1);
    }
  }

  @Test
  void aDeleteTheIndexLostIsDoneAgain() throws Exception {
    TestInstances.Uids kept = TestInstances.fresh();
    TestInstances.Uids deleted = TestInstances.fresh();
    String deletedBlob;
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      assertThat(archive.stow(TestInstances.ct(files, kept))).isEqualTo(StoreOutcome.Status.STORED);
      assertThat(archive.stow(TestInstances.ct(files, deleted))).isEqualTo(StoreOutcome.Status.STORED);
      deletedBlob = new InstanceLocator(db).find("DEFAULT", deleted.study(), deleted.series(), deleted.sop())
          .orElseThrow().blobKey();
    }
    Path snapshot = snapshotIndex();
    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      archive.replay();
      assertThat(archive.deletes.delete("DEFAULT", deleted.study(), null, null).instances()).isEqualTo(1);
    }
    restoreIndex(snapshot); // the crash: the delete's commit gone

    try (Database db = Database.open(EMBEDDED, dataDir); Archive archive = new Archive(db)) {
      InstanceLocator locator = new InstanceLocator(db);
      assertThat(locator.find("DEFAULT", deleted.study(), deleted.series(), deleted.sop())).as("undone").isPresent();

      assertThat(archive.replay()).isEqualTo(1);
      archive.reclaimer.recoverAfterCrash(); // what startup does next: the garbage queue is emptied

      assertThat(locator.find("DEFAULT", deleted.study(), deleted.series(), deleted.sop())).isEmpty();
      assertThat(locator.find("DEFAULT", kept.study(), kept.series(), kept.sop())).isPresent();
      assertThat(locator.referencesBlob(deletedBlob)).isFalse();
      assertThat(Files.exists(dataDir.resolve("blobs").resolve(deletedBlob.substring(0, 2))
          .resolve(deletedBlob.substring(2, 4)).resolve(deletedBlob))).as("its file reclaimed").isFalse();
    }
  }

  /** A copy of the index file as it is now (the archive closed). */
  private Path snapshotIndex() throws IOException {
    Path snapshot = Files.createTempFile(files, "index-", ".mv.db");
    Files.copy(indexFile(), snapshot, StandardCopyOption.REPLACE_EXISTING);
    return snapshot;
  }

  /** The index file back as it was: H2 reopens at an earlier version after a crash. */
  private void restoreIndex(Path snapshot) throws IOException {
    Files.copy(snapshot, indexFile(), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path indexFile() {
    return dataDir.resolve("index").resolve("atrium.mv.db");
  }

  private Path journalDir() {
    return dataDir.resolve("index").resolve("journal");
  }

  /** The store path as Atrium assembles it over an embedded index, journal included. */
  private final class Archive implements AutoCloseable {
    final FileSystemBlobStore blobs;
    final IndexJournal journal;
    final GroupCommit writer;
    final BlobReclaimer reclaimer;
    final StoreService service;
    final DeleteService deletes;
    final Database db;

    Archive(Database db) throws IOException {
      this.db = db;
      blobs = new FileSystemBlobStore(dataDir.resolve("blobs"));
      journal = IndexJournal.open(journalDir());
      reclaimer = new BlobReclaimer(blobs, new BlobGarbage(db), new InstanceLocator(db));
      writer = new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
          db.commitSync()::afterCommit, journal);
      service = new StoreService(blobs, writer, reclaimer, 0, new dev.atrium.metrics.Metrics());
      deletes = new DeleteService(new InstanceDeletion(db), writer, reclaimer);
    }

    int replay() throws IOException {
      return JournalReplay.replay(journal, new ChangeFeedIndex(db).lastSequence(), blobs, writer,
          new InstanceDeletion(db));
    }

    StoreOutcome.Status stow(Path part10) throws IOException {
      try (StoreBatch batch = service.openBatch("DEFAULT", null, DuplicatePolicy.REJECT);
           InputStream in = Files.newInputStream(part10)) {
        batch.add(in);
        return batch.finish().get(0).status();
      }
    }

    @Override
    public void close() throws IOException {
      writer.close();
      reclaimer.close();
      journal.close();
      blobs.close(); // it makes staging files ahead in the background: none may appear while the test's files go
    }
  }
}
