package dev.atrium.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
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

  private final InstanceIndex index;
  private final BlockingQueue<Submission> queue = new LinkedBlockingQueue<>();
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

  private void run() {
    List<Submission> group = new ArrayList<>();
    while (!closed) {
      try {
        group.add(queue.take());
        int entries = group.get(0).entries().size();
        for (Submission next; entries < MAX_ENTRIES && (next = queue.poll()) != null; ) {
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
    for (Submission s; (s = queue.poll()) != null; ) {
      s.result().completeExceptionally(new DataAccessException("the index writer is closed"));
    }
  }
}
