package dev.atrium.tags;

import dev.atrium.index.ExtendedTag;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.index.ExtendedValue;
import dev.atrium.index.OperationIndex;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reindex operations in the background, one at a time, on its own thread and its own
 * transactions (never the store's writer): batches of instances in pk order, each instance's
 * values read from its stored metadata, each batch committed with its watermark. After a restart
 * it resumes the unfinished operation after its last committed batch, and finishes deletions of
 * tags that a crash interrupted.
 */
public final class Reindexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reindexer.class);
  static final int BATCH = 1000;
  private static final int ATTEMPTS = 5;

  private final ExtendedTagIndex tags;
  private final OperationIndex operations;
  private final ExtendedValue.Reader reader;
  private final RetrieveService retrieve;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private boolean woken;
  private volatile boolean closed;

  public Reindexer(ExtendedTagIndex tags, OperationIndex operations, ExtendedValue.Reader reader,
      RetrieveService retrieve) {
    this.tags = tags;
    this.operations = operations;
    this.reader = reader;
    this.retrieve = retrieve;
    this.thread = new Thread(this::run, "reindex");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** An operation was added. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      for (ExtendedTag tag : tags.all()) {
        if (tag.status().equals(ExtendedTag.DELETING)) tags.delete(tag);
      }
    } catch (RuntimeException e) {
      log.error("reindex: finishing an interrupted tag deletion failed", e);
    }
    int failures = 0;
    while (!closed) {
      Optional<OperationIndex.Operation> next = Optional.empty();
      try {
        next = operations.nextUnfinished();
        if (next.isPresent()) {
          run(next.get());
          failures = 0;
          continue;
        }
      } catch (RuntimeException e) {
        if (closed) return;
        failures++;
        log.warn("reindex: operation {} failed (attempt {} of {})", next.map(OperationIndex.Operation::id)
            .orElse("?"), failures, ATTEMPTS, e);
        if (failures >= ATTEMPTS && next.isPresent()) {
          fail(next.get().id(), e);
          failures = 0;
        }
      }
      await(next.isPresent() ? 1 : 30);
    }
  }

  private void run(OperationIndex.Operation op) {
    log.info("reindex: operation {} from instance pk {} to {}", op.id(), op.watermark(), op.endWatermark());
    long watermark = op.watermark();
    List<ExtendedTag> adding = operations.addingTags(op.id());
    while (!adding.isEmpty()) {
      if (closed) return; // resumed after the restart from the last committed batch
      List<OperationIndex.Item> batch = operations.batch(watermark, op.endWatermark(), BATCH);
      if (batch.isEmpty()) break;
      long t0 = System.nanoTime();
      List<OperationIndex.Indexed> indexed = new ArrayList<>(batch.size());
      for (OperationIndex.Item item : batch) indexed.add(new OperationIndex.Indexed(item, read(item, adding)));
      watermark = batch.get(batch.size() - 1).instancePk();
      long t1 = System.nanoTime();
      operations.writeBatch(op.id(), indexed, watermark, percent(op, watermark));
      log.debug("reindex: {} instances up to pk {}: read {} ms, written {} ms", batch.size(), watermark,
          (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      adding = operations.addingTags(op.id());
    }
    operations.complete(op);
    log.info("reindex: operation {} completed", op.id());
  }

  private List<ExtendedValue> read(OperationIndex.Item item, List<ExtendedTag> adding) {
    try {
      return reader.read(retrieve.metadata(item.instance()), adding);
    } catch (IOException e) {
      String reason = "the stored instance cannot be read: " + e.getMessage();
      return adding.stream().<ExtendedValue>map(t -> new ExtendedValue.Invalid(t, reason)).toList();
    }
  }

  /** Share of the pk range done; pks are not dense, so this is an estimate (100 only when done). */
  static int percent(OperationIndex.Operation op, long watermark) {
    long span = op.endWatermark() - op.startWatermark();
    if (span <= 0) return 99;
    return (int) Math.min(99, (watermark - op.startWatermark()) * 100 / span);
  }

  private void fail(String id, RuntimeException e) {
    try {
      operations.fail(id, e.getMessage());
      log.error("reindex: operation {} failed for good", id);
    } catch (RuntimeException again) {
      log.error("reindex: could not mark operation {} failed", id, again);
    }
  }

  private void await(long seconds) {
    lock.lock();
    try {
      if (!woken && !closed) work.await(seconds, TimeUnit.SECONDS);
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops after the batch in progress (not interrupted: an interrupt can close the embedded
   * database's files under a running statement).
   */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    wake();
    thread.join(TimeUnit.MINUTES.toMillis(2));
  }
}
