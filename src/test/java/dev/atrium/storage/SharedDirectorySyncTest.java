package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A directory change is durable only through an fsync that started after it; fsyncs not yet started are shared. */
class SharedDirectorySyncTest {
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> requestedDuringSync = new ArrayList<>();
  private SharedDirectorySync shared;
  private int fsyncs;

  @Test
  void changesWaitingTogetherShareOneFsyncAndALaterChangeGetsItsOwn() {
    shared = new SharedDirectorySync(Path.of("/data/blobs/.staging"), dir -> {
      fsyncs++;
      if (fsyncs == 1) requestedDuringSync.add(shared.request()); // a change made while the fsync runs
    }, pending::add);

    CompletableFuture<Void> first = shared.request();
    CompletableFuture<Void> second = shared.request();
    assertThat(second).isSameAs(first);
    assertThat(pending).hasSize(1);

    pending.poll().run();
    assertThat(first).isCompleted();
    CompletableFuture<Void> during = requestedDuringSync.get(0);
    assertThat(during).isNotSameAs(first).isNotDone(); // the running fsync may have missed it
    assertThat(pending).hasSize(1);

    pending.poll().run();
    assertThat(during).isCompleted();
    assertThat(fsyncs).isEqualTo(2);
  }

  @Test
  void aFailedFsyncFailsEveryChangeWaitingOnIt() {
    shared = new SharedDirectorySync(Path.of("/data/blobs/.staging"), dir -> {
      throw new java.io.IOException("read-only file system");
    }, pending::add);
    CompletableFuture<Void> first = shared.request();
    CompletableFuture<Void> second = shared.request();
    pending.poll().run();
    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
  }
}
