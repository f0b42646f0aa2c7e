package dev.atrium.store;

import static dev.atrium.index.schema.Tables.DATA_PARTITION;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.index.BlobGarbage;
import dev.atrium.index.Database;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.InstanceIndex;
import dev.atrium.index.InstanceLocator;
import dev.atrium.index.StoredInstance;
import dev.atrium.storage.FileSystemBlobStore;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 2 for the index: an instance is acknowledged only once its index commit is on disk. Embedded H2 writes a
 * commit to the operating system but does not fsync it; the store path's writer syncs after each commit and only
 * then answers. Here that sync is observed (held, or made to fail) on a real H2 index and file store.
 */
class IndexDurabilityTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void anEmbeddedIndexSyncsItsOwnFile() throws Exception {
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir)) {
      assertThat(db.commitSync().syncs()).isTrue();
      db.commitSync().afterCommit(); // an fdatasync on H2's file through a descriptor of our own
    }
  }

  /**
   * H2 keeps its newest commits in memory and writes its file in the background: the sync must have it write them
   * first. A copy of the file taken right after the sync, while the database is still open, holds the commit.
   */
  @Test
  void theSyncPutsCommitsH2StillHeldInMemoryIntoItsFile() throws Exception {
    Path copy = files.resolve("copy");
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir)) {
      Thread.sleep(1200); // whatever the migrations left unwritten is written by H2's background writer now
      db.dsl().execute("insert into data_partition (partition_name, created_at) values ('SYNCED', current_timestamp(3))");
      db.commitSync().afterCommit();
      Files.createDirectories(copy.resolve("index"));
      Files.copy(dataDir.resolve("index").resolve("atrium.mv.db"), copy.resolve("index").resolve("atrium.mv.db"));
    }
    try (Database reopened = Database.open(new AtriumConfig.Db("", "", "", 2), copy)) {
      assertThat(reopened.dsl().fetchCount(DATA_PARTITION, DATA_PARTITION.PARTITION_NAME.eq("SYNCED"))).isEqualTo(1);
    }
  }

  @Test
  void anIndexFileThatCannotBeSyncedIsNotUsable() throws Exception {
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir)) {
      db.checkUsable();
      db.commitSync().close(); // the descriptor gone: every fdatasync fails from now on
      assertThatThrownBy(db::checkUsable).hasMessageContaining("cannot be synced");
    }
  }

  @Test
  void noInstanceIsAcknowledgedBeforeTheSyncAfterItsCommit() throws Exception {
    TestInstances.Uids uids = TestInstances.fresh();
    Path part10 = TestInstances.ct(files, uids);
    CountDownLatch syncing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir)) {
      int[] rowsAtSync = {-1};
      try (Store store = new Store(db, () -> {
        if (rowsAtSync[0] == -1) rowsAtSync[0] = db.dsl().fetchCount(INSTANCE, INSTANCE.SOP_INSTANCE_UID.eq(uids.sop()));
        syncing.countDown();
        awaitQuietly(release);
      })) {
        CompletableFuture<List<StoreOutcome>> stored = CompletableFuture.supplyAsync(() -> store.stow(part10));
        assertThat(syncing.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rowsAtSync[0]).as("the sync comes after the commit").isEqualTo(1);
        Thread.sleep(300); // the store must still be waiting: nothing is answered while its commit may be lost
        assertThat(stored).isNotDone();
        release.countDown();
        assertThat(stored.get(30, TimeUnit.SECONDS)).singleElement()
            .extracting(StoreOutcome::status).isEqualTo(StoreOutcome.Status.STORED);
      }
    }
  }

  @Test
  void anIndexThatCannotSyncAcknowledgesNothingAndKeepsWhatItsRowsName() throws Exception {
    TestInstances.Uids uids = TestInstances.fresh();
    Path part10 = TestInstances.ct(files, uids);
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir)) {
      List<StoreOutcome> outcomes;
      try (Store store = new Store(db, () -> {
        throw new IOException("device went away");
      })) {
        outcomes = store.stow(part10);
      }
      assertThat(outcomes).singleElement().satisfies(o -> {
        assertThat(o.status()).isEqualTo(StoreOutcome.Status.FAILED);
        assertThat(o.failure()).isEqualTo(StoreFailure.OUT_OF_RESOURCES);
        assertThat(o.message()).contains("durable").contains("device went away");
      });
      // The commit happened: its row names a blob, which must exist, before and after a restart's recovery.
      InstanceLocator locator = new InstanceLocator(db);
      StoredInstance row = locator.find("DEFAULT", uids.study(), uids.series(), uids.sop()).orElseThrow();
      FileSystemBlobStore restarted = new FileSystemBlobStore(dataDir.resolve("blobs"));
      try (BlobReclaimer recovery = new BlobReclaimer(restarted, new BlobGarbage(db), locator)) {
        recovery.recoverAfterCrash();
      }
      try (InputStream in = restarted.open(row.blobKey())) {
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(part10));
      }
      restarted.close();
    }
  }

  /**
   * The index transaction runs while the blob is published and commits only after: a blob that cannot be made
   * durable leaves no row (the transaction rolls back) and no file, and the next store goes through.
   */
  @Test
  void aBlobThatCannotBeMadeDurableIsRefusedAndLeavesNothing() throws Exception {
    TestInstances.Uids refused = TestInstances.fresh();
    TestInstances.Uids next = TestInstances.fresh();
    AtomicBoolean diskFails = new AtomicBoolean(true);
    UnaryOperator<BlobStore> failingOnce = real -> (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
        new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("publishAll") && diskFails.getAndSet(false)) {
            throw new IOException("fsync failed: device went away");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (Database db = Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
        Store store = new Store(db, () -> {}, failingOnce)) {
      assertThat(store.stow(TestInstances.ct(files, refused))).singleElement().satisfies(o -> {
        assertThat(o.status()).isEqualTo(StoreOutcome.Status.FAILED);
        assertThat(o.failure()).isEqualTo(StoreFailure.OUT_OF_RESOURCES);
        assertThat(o.message()).contains("device went away");
      });
      assertThat(db.dsl().fetchCount(INSTANCE, INSTANCE.SOP_INSTANCE_UID.eq(refused.sop()))).isZero();
      assertThat(store.stow(TestInstances.ct(files, next))).singleElement()
          .extracting(StoreOutcome::status).isEqualTo(StoreOutcome.Status.STORED);
    }
    try (Stream<Path> left = Files.walk(dataDir.resolve("blobs"))) {
      assertThat(left.filter(Files::isRegularFile)).as("only the next instance and its metadata").hasSize(2);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The store path as Atrium assembles it, with the given sync after each index commit. */
  private final class Store implements AutoCloseable {
    final StoreService service;
    final GroupCommit writer;
    final BlobReclaimer reclaimer;
    final BlobStore blobs;

    Store(Database db, GroupCommit.AfterCommit afterCommit) throws IOException {
      this(db, afterCommit, UnaryOperator.identity());
    }

    Store(Database db, GroupCommit.AfterCommit afterCommit, UnaryOperator<BlobStore> blobStore) throws IOException {
      blobs = blobStore.apply(new FileSystemBlobStore(dataDir.resolve("blobs")));
      reclaimer = new BlobReclaimer(blobs, new BlobGarbage(db), new InstanceLocator(db));
      writer = new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
          afterCommit);
      service = new StoreService(blobs, writer, reclaimer, 0, new dev.atrium.metrics.Metrics());
    }

    List<StoreOutcome> stow(Path part10) {
      try (StoreBatch batch = service.openBatch("DEFAULT", null, DuplicatePolicy.REJECT);
           InputStream in = Files.newInputStream(part10)) {
        batch.add(in);
        return batch.finish();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    @Override
    public void close() throws IOException {
      writer.close();
      reclaimer.close();
      blobs.close(); // as Atrium stops: the final names synced, the staging entries gone
    }
  }
}
