package dev.atrium.index;

import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 2 for the index: a store is queued while its blob is still being made durable, so that its statements run
 * meanwhile, but its transaction commits only once the blob is durable, and is rolled back if it cannot be. Seen
 * from another connection on a real H2 index.
 */
class CommitAfterBlobsDurableTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void noRowIsCommittedBeforeItsBlobIsDurable() throws Exception {
    TestInstances.Uids uids = TestInstances.fresh();
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir); GroupCommit writer = writer(db)) {
      CompletableFuture<Void> blobDurable = new CompletableFuture<>();
      CompletableFuture<List<IndexOutcome>> stored = writer.storeWhenDurable(List.of(entry(uids)), blobDurable);

      Thread.sleep(300); // the writer has run the statements by now, and waits
      assertThat(stored).isNotDone();
      assertThat(rows(db, uids)).as("nothing committed while the blob may still be lost").isZero();

      blobDurable.complete(null);
      assertThat(stored.get(30, TimeUnit.SECONDS)).singleElement().isInstanceOf(IndexOutcome.Created.class);
      assertThat(rows(db, uids)).isEqualTo(1);
    }
  }

  @Test
  void aBlobThatCannotBeMadeDurableLeavesNoRowAndTheOthersOfItsGroupCommit() throws Exception {
    TestInstances.Uids lost = TestInstances.fresh();
    TestInstances.Uids kept = TestInstances.fresh();
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir); GroupCommit writer = writer(db)) {
      CompletableFuture<Void> lostDurable = new CompletableFuture<>();
      CompletableFuture<Void> keptDurable = new CompletableFuture<>();
      // Queued together, so that the writer takes both into one transaction.
      CompletableFuture<List<IndexOutcome>> lostStore = writer.storeWhenDurable(List.of(entry(lost)), lostDurable);
      CompletableFuture<List<IndexOutcome>> keptStore = writer.storeWhenDurable(List.of(entry(kept)), keptDurable);
      Thread.sleep(300);
      keptDurable.complete(null);
      lostDurable.completeExceptionally(new IOException("fsync failed: device went away"));

      assertThatThrownBy(() -> GroupCommit.await(lostStore)).isInstanceOf(BlobsNotDurableException.class)
          .hasMessageContaining("device went away");
      assertThat(GroupCommit.await(keptStore)).singleElement().isInstanceOf(IndexOutcome.Created.class);
      assertThat(rows(db, lost)).isZero();
      assertThat(db.dsl().fetchCount(CHANGE_FEED, CHANGE_FEED.SOP_INSTANCE_UID.eq(lost.sop()))).isZero();
      assertThat(rows(db, kept)).isEqualTo(1);
    }
  }

  private static GroupCommit writer(Database db) {
    return new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
        db.commitSync()::afterCommit);
  }

  private InstanceIndex.Entry entry(TestInstances.Uids uids) throws Exception {
    Path part10 = TestInstances.ct(files, uids);
    DicomHeader header = DicomHeaderReader.read(() -> Files.newInputStream(part10), Files.size(part10));
    String key = String.format("%032x", uids.sop().hashCode() & 0xffffffffL);
    return new InstanceIndex.Entry("DEFAULT", header, key, Files.size(part10), 0, InstanceIndex.OnDuplicate.KEEP);
  }

  private static int rows(Database db, TestInstances.Uids uids) {
    return db.dsl().fetchCount(INSTANCE, INSTANCE.SOP_INSTANCE_UID.eq(uids.sop()));
  }
}
