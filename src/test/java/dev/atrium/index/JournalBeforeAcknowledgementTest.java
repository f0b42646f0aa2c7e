package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 2 with the embedded index: its journal line is what makes a store durable, so the writer answers nobody
 * until that line is synced. Observed on a real H2 index with the journal's fdatasync held.
 */
class JournalBeforeAcknowledgementTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void noStoreReturnsBeforeItsJournalLineIsOnDisk() throws Exception {
    Path part10 = TestInstances.ct(files, TestInstances.fresh());
    DicomHeader header = DicomHeaderReader.read(() -> Files.newInputStream(part10), Files.size(part10));
    CountDownLatch syncing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        IndexJournal journal = IndexJournal.open(dataDir.resolve("journal"), IndexJournal.SEGMENT_BYTES, segment -> {
          syncing.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          segment.force(false);
        })) {
      GroupCommit writer = new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
          db.commitSync()::afterCommit, journal);
      try {
        InstanceIndex.Entry entry = new InstanceIndex.Entry("DEFAULT", header, "0123456789abcdef0123456789abcdef",
            Files.size(part10), InstanceIndex.OnDuplicate.KEEP);
        CompletableFuture<List<IndexOutcome>> stored = CompletableFuture.supplyAsync(() -> writer.storeAll(List.of(entry)));

        assertThat(syncing.await(30, TimeUnit.SECONDS)).as("the journal is synced after the commit").isTrue();
        Thread.sleep(300); // nothing may be answered while the journal line may still be lost
        assertThat(stored).isNotDone();
        release.countDown();
        assertThat(stored.get(30, TimeUnit.SECONDS)).singleElement().isInstanceOf(IndexOutcome.Created.class);
      } finally {
        release.countDown();
        writer.close();
      }
    }
  }
}
