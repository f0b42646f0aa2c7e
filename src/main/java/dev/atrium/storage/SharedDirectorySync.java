package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * fsyncs of one busy directory, shared between the writers that changed it: a change is made durable by any fsync
 * of the directory that starts after it, so a request joins the fsync that is queued but not yet started, if there
 * is one, and queues a new one otherwise. Concurrent stores then pay one directory fsync between them.
 */
final class SharedDirectorySync {
  /** Forces a directory (its entries) to disk. */
  @FunctionalInterface
  interface DirectorySync {
    void force(Path directory) throws IOException;
  }

  private final Path directory;
  private final DirectorySync sync;
  private final Executor executor;
  private CompletableFuture<Void> queued; // requested, not started: it covers every change made until it starts

  SharedDirectorySync(Path directory, DirectorySync sync, Executor executor) {
    this.directory = directory;
    this.sync = sync;
    this.executor = executor;
  }

  /** Completes once an fsync that started after this call has finished. */
  synchronized CompletableFuture<Void> request() {
    if (queued != null) return queued;
    CompletableFuture<Void> next = new CompletableFuture<>();
    queued = next;
    executor.execute(() -> {
      synchronized (this) {
        if (queued == next) queued = null; // started: later changes need a later fsync
      }
      try {
        sync.force(directory);
        next.complete(null);
      } catch (IOException | RuntimeException e) {
        next.completeExceptionally(e);
      }
    });
    return next;
  }
}
