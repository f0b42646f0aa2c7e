package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 2 with the embedded index: its journal line is what makes a store durable, so the writer answers nobody
 * until that line is synced. The line is synced while the blobs are still being made durable (two flushes at once,
 * not one after the other), and withdrawn when the transaction then rolls back. Observed on a real H2 index.
 */
class JournalBeforeAcknowledgementTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void noStoreReturnsBeforeItsJournalLineIsOnDisk() throws Exception {
    CountDownLatch syncing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(journalDir(), IndexJournal.SEGMENT_BYTES, segment -> {
          syncing.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          segment.force(false);
        });
        GroupCommit writer = writer(db, journal)) {
      try {
        CompletableFuture<List<IndexOutcome>> stored = CompletableFuture.supplyAsync(() -> writer.storeAll(
            List.of(entry(TestInstances.fresh()))));

        assertThat(syncing.await(30, TimeUnit.SECONDS)).as("the journal is synced").isTrue();
        Thread.sleep(300); // nothing may be answered while the journal line may still be lost
        assertThat(stored).isNotDone();
        release.countDown();
        assertThat(stored.get(30, TimeUnit.SECONDS)).singleElement().isInstanceOf(IndexOutcome.Created.class);
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void theLineIsSyncedWhileTheBlobIsStillBeingMadeDurableAndTheAnswerWaitsForBoth() throws Exception {
    CountDownLatch synced = new CountDownLatch(1);
    TestInstances.Uids uids = TestInstances.fresh();
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(journalDir(), IndexJournal.SEGMENT_BYTES, segment -> {
          segment.force(false);
          synced.countDown();
        });
        GroupCommit writer = writer(db, journal)) {
      InstanceIndex.Entry entry = entry(uids);
      CompletableFuture<Void> blobDurable = new CompletableFuture<>();
      CompletableFuture<List<IndexOutcome>> stored = writer.storeWhenDurable(List.of(entry), blobDurable);

      assertThat(synced.await(30, TimeUnit.SECONDS)).as("the line is synced before the blob is durable").isTrue();
      assertThat(journalText()).contains(entry.blobKey() + "\tK\t" + entry.blobSize() + "\t"
          + String.format("%08x", entry.blobChecksum()));
      Thread.sleep(200);
      assertThat(stored).as("not answered while the blob may still be lost").isNotDone();

      blobDurable.complete(null);
      assertThat(stored.get(30, TimeUnit.SECONDS)).singleElement().isInstanceOf(IndexOutcome.Created.class);
    }
  }

  @Test
  void aStoreThatRollsBackIsWithdrawnBeforeItsFailureIsReported() throws Exception {
    TestInstances.Uids lost = TestInstances.fresh();
    TestInstances.Uids kept = TestInstances.fresh();
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(journalDir());
        GroupCommit writer = writer(db, journal)) {
      CompletableFuture<Void> lostDurable = new CompletableFuture<>();
      CompletableFuture<List<IndexOutcome>> lostStore = writer.storeWhenDurable(List.of(entry(lost)), lostDurable);
      Thread.sleep(200); // journaled, waiting for its blob
      lostDurable.completeExceptionally(new IOException("fsync failed: device went away"));
      assertThatThrownBy(() -> GroupCommit.await(lostStore)).isInstanceOf(BlobsNotDurableException.class);
      assertThat(writer.storeAll(List.of(entry(kept)))).singleElement().isInstanceOf(IndexOutcome.Created.class);
    } // closed as a crash leaves it: the journal not cleared
    assertThat(journalText()).as("the line was written, then withdrawn").containsPattern("\tX\n");
    try (IndexJournal reopened = IndexJournal.open(journalDir())) {
      assertThat(reopened.leftOver(0)).as("only the store that committed is made again")
          .singleElement().isInstanceOfSatisfying(IndexJournal.Stored.class,
              s -> assertThat(s.blobKey()).isEqualTo(key(kept)));
    }
  }

  /**
   * The lines are written before the statements decide, for the likely outcome (every instance new); a duplicate
   * shifts the sequences, and the replay must then make again exactly what committed.
   */
  @Test
  void linesWrittenBeforeADuplicateWasFoundAreCorrectedBeforeTheCommit() throws Exception {
    TestInstances.Uids first = TestInstances.fresh();
    TestInstances.Uids second = TestInstances.fresh();
    long firstSequence;
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(journalDir());
        GroupCommit writer = writer(db, journal)) {
      firstSequence = ((IndexOutcome.Created) writer.storeAll(List.of(entry(first))).get(0)).sequence();
      List<IndexOutcome> outcomes = writer.storeAll(List.of(entry(first), entry(second)));
      assertThat(outcomes.get(0)).isInstanceOf(IndexOutcome.Duplicate.class);
      assertThat(((IndexOutcome.Created) outcomes.get(1)).sequence()).isEqualTo(firstSequence + 1);
    } // closed as a crash leaves it: the journal not cleared
    try (IndexJournal reopened = IndexJournal.open(journalDir())) {
      assertThat(reopened.leftOver(0)).extracting(r -> r.sequence() + " " + ((IndexJournal.Stored) r).blobKey())
          .containsExactly(firstSequence + " " + key(first), (firstSequence + 1) + " " + key(second));
    }
  }

  /**
   * A store queued behind one the writer is still committing journals its line itself, at once, guessing that the
   * one before it commits. When that one rolls back instead, the guess is withdrawn, durably, before anything after
   * it can commit: a crash there must not leave a replay a line under a sequence that another instance then took.
   */
  @Test
  void aLineJournaledAheadOfTheWriterIsWithdrawnWhenTheStoreBeforeItRollsBack() throws Exception {
    TestInstances.Uids warm = TestInstances.fresh();
    TestInstances.Uids lost = TestInstances.fresh();
    TestInstances.Uids next = TestInstances.fresh();
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(journalDir());
        GroupCommit writer = writer(db, journal)) {
      long base = ((IndexOutcome.Created) writer.storeAll(List.of(entry(warm))).get(0)).sequence();
      CompletableFuture<Void> lostDurable = new CompletableFuture<>();
      CompletableFuture<List<IndexOutcome>> lostStore = writer.storeWhenDurable(List.of(entry(lost)), lostDurable);
      Thread.sleep(300); // the writer runs its statements, then waits for its blob
      CompletableFuture<Void> nextDurable = new CompletableFuture<>();
      CompletableFuture<List<IndexOutcome>> nextStore = writer.storeWhenDurable(List.of(entry(next)), nextDurable);
      assertThat(journalText()).as("journaled by the submitter while the writer is busy")
          .contains((base + 2) + "	DEFAULT	" + key(next) + "	K	");

      lostDurable.completeExceptionally(new IOException("fsync failed: device went away"));
      assertThatThrownBy(() -> GroupCommit.await(lostStore)).isInstanceOf(BlobsNotDurableException.class);
      Thread.sleep(300); // the writer takes the next store and waits for its blob
      assertThat(IndexJournal.pending(journalDir(), base))
          .as("the guess is withdrawn; only the line the writer wrote for it remains, ahead of its commit")
          .extracting(r -> r.sequence() + " " + ((IndexJournal.Stored) r).blobKey())
          .containsExactly((base + 1) + " " + key(next));

      nextDurable.complete(null);
      assertThat(GroupCommit.await(nextStore)).singleElement().isInstanceOfSatisfying(IndexOutcome.Created.class,
          created -> assertThat(created.sequence()).isEqualTo(base + 1));
    }
  }

  private static GroupCommit writer(Database db, IndexJournal journal) {
    return new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
        db.commitSync()::afterCommit, journal);
  }

  private InstanceIndex.Entry entry(TestInstances.Uids uids) {
    try {
      Path part10 = TestInstances.ct(files, uids);
      DicomHeader header = DicomHeaderReader.read(() -> Files.newInputStream(part10), Files.size(part10));
      return new InstanceIndex.Entry("DEFAULT", header, key(uids), Files.size(part10), 0x89abcdefL,
          InstanceIndex.OnDuplicate.KEEP);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String key(TestInstances.Uids uids) {
    return String.format("%032x", uids.sop().hashCode() & 0xffffffffL);
  }

  private Path journalDir() {
    return dataDir.resolve("journal");
  }

  private String journalText() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> segments = Files.list(journalDir())) {
      for (Path segment : segments.sorted().toList()) text.append(Files.readString(segment, StandardCharsets.US_ASCII));
    }
    return text.toString();
  }
}
