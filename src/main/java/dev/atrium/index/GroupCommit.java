package dev.atrium.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the store path: stores that arrive while a transaction is running (other
 * associations, other STOW requests) are written together in the next one, so concurrent
 * clients share one commit and one flush of the index. A single writer thread also means the
 * change-feed sequence is taken in one order, with no lock-order deadlocks between batches.
 * Each caller still waits for its own commit before it acknowledges anything.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_ENTRIES = 128;

  private record Submission(List<InstanceIndex.Entry> entries, CompletableFuture<List<IndexOutcome>> result) {}

  /** Another write (a delete) that must not interleave with stores: run alone by the writer. */
  private record Exclusive(Supplier<?> work, CompletableFuture<Object> result) {}

  private final InstanceIndex index;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  public GroupCommit(InstanceIndex index) {
    this.index = index;
    this.writer = new Thread(this::run, "index-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Blocks until the entries are committed (or failed); outcomes in the same order. */
  public List<IndexOutcome> storeAll(List<InstanceIndex.Entry> entries) {
    if (closed) throw new DataAccessException("the index writer is closed");
    Submission submission = new Submission(entries, new CompletableFuture<>());
    queue.add(submission);
    try {
      return submission.result().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new DataAccessException("index write failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataAccessException("interrupted waiting for the index commit", e);
    }
  }

  /**
   * Runs {@code work} on the writer thread, between store transactions. Under H2 a delete that
   * commits while a store attaches a new series to the same study could leave that series
   * pointing at the deleted study (its foreign-key check does not serialise with the delete);
   * one writer makes that interleaving impossible.
   */
  @SuppressWarnings("unchecked")
  public <T> T exclusive(Supplier<T> work) {
    if (closed) throw new DataAccessException("the index writer is closed");
    Exclusive task = new Exclusive(work, new CompletableFuture<>());
    queue.add(task);
    try {
      return (T) task.result().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new DataAccessException("index write failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataAccessException("interrupted waiting for the index writer", e);
    }
  }

  private void run() {
    List<Submission> group = new ArrayList<>();
    while (!closed) {
      try {
        Object first = queue.take();
        if (first instanceof Exclusive task) {
          runAlone(task);
          continue;
        }
        group.add((Submission) first);
        int entries = group.get(0).entries().size();
        while (entries < MAX_ENTRIES && queue.peek() instanceof Submission) {
          Submission next = (Submission) queue.poll();
          group.add(next);
          entries += next.entries().size();
        }
        commit(group);
      } catch (InterruptedException e) {
        break;
      } finally {
        group.clear();
      }
    }
  }

  private static void runAlone(Exclusive task) {
    try {
      task.result().complete(task.work().get());
    } catch (RuntimeException e) {
      task.result().completeExceptionally(e);
    }
  }

  private void commit(List<Submission> group) {
    List<InstanceIndex.Entry> all = new ArrayList<>();
    group.forEach(s -> all.addAll(s.entries()));
    try {
      List<IndexOutcome> outcomes = index.storeAll(all);
      int from = 0;
      for (Submission s : group) {
        s.result().complete(outcomes.subList(from, from + s.entries().size()));
        from += s.entries().size();
      }
    } catch (RuntimeException shared) {
      if (group.size() == 1) {
        group.get(0).result().completeExceptionally(shared);
        return;
      }
      // One submission must not fail the others: retry each in its own transaction.
      log.warn("shared index transaction of {} submissions failed; committing them one by one", group.size(),
          shared);
      for (Submission s : group) {
        try {
          s.result().complete(index.storeAll(s.entries()));
        } catch (RuntimeException own) {
          s.result().completeExceptionally(own);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    for (Object s; (s = queue.poll()) != null; ) {
      var closedError = new DataAccessException("the index writer is closed");
      if (s instanceof Submission submission) submission.result().completeExceptionally(closedError);
      else ((Exclusive) s).result().completeExceptionally(closedError);
    }
  }
}
