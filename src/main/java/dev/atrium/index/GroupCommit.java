package dev.atrium.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import dev.atrium.storage.SyncFutures;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the store path: stores that arrive while a transaction is running (other
 * associations, other STOW requests) are written together in the next one, so concurrent
 * clients share one commit and one flush of the index. A single writer thread also means the
 * change-feed sequence is taken in one order, with no lock-order deadlocks between batches.
 * Each caller still waits for its own commit, and for the fsync that makes it durable, before it
 * acknowledges anything; one fsync serves the whole group. A store is queued while its blobs are
 * still being made durable: the writer runs its statements meanwhile and holds the commit until they
 * are (with four associations, 10 % more instances per second than queueing after the fsyncs). With
 * a journal, the group's lines are written before its statements run and synced while they run and the blobs are
 * made durable, so one association waits for one flush time rather than two in a row (about 10 % more instances
 * per second), and not for the statements first (7 % more: alternated runs of three single-association sets,
 * 719–783 against 773–865 instances/s). Once the writer knows the next sequence, each submitter writes its own lines
 * as it queues ({@link #journalAhead}), before the writer even wakes.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_ENTRIES = 128;
  private static final long INDEX_SYNC_INTERVAL_NANOS = 1_000_000_000L;
  /** A store whose fsyncs take this long has a dead disk; its transaction gives up rather than block all others. */
  private static final long BLOBS_DURABLE_TIMEOUT_MINUTES = 5;

  private record Submission(List<InstanceIndex.Entry> entries, CompletionStage<Void> blobsDurable,
      CompletableFuture<List<IndexOutcome>> result, AtomicReference<Ahead> ahead) {
    Submission(List<InstanceIndex.Entry> entries, CompletionStage<Void> blobsDurable) {
      this(entries, blobsDurable, new CompletableFuture<>(), new AtomicReference<>());
    }
  }

  /** The lines a submitter journaled ahead of the writer for its entries, and the sync that makes them durable. */
  private record Ahead(List<IndexJournal.Stored> lines, Future<?> synced) {}

  /** Another write (a delete) that must not interleave with stores: run alone by the writer. */
  private record Exclusive(Supplier<?> work, Function<Object, IndexJournal.Record> journaled,
      CompletableFuture<Object> result) {}

  /** Makes every commit so far durable (an fsync); runs after each commit, before anyone is answered. */
  @FunctionalInterface
  public interface AfterCommit {
    void run() throws IOException;
  }

  private final InstanceIndex index;
  private final AfterCommit afterCommit;
  private final IndexJournal journal;
  private long indexSyncedAt = System.nanoTime() - INDEX_SYNC_INTERVAL_NANOS; // writer thread only
  /**
   * The sequence the next store will likely take, as the last store left the counter; -1 when unknown (at first,
   * after a failure or an exclusive write). Writer thread only. Saves the journal's guess a query per transaction;
   * a wrong one costs a rewrite of its lines, never a wrong line.
   */
  private long nextSequenceGuess = -1;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  /**
   * Submitters journal their lines ahead, and queue, under this lock: the lines' order is the queue's, in which the
   * writer takes sequences.
   */
  private final Object submitLock = new Object();
  /** The sequence the next entry journaled ahead will likely take; -1: entries are not journaled ahead (submitLock). */
  private long aheadGuess = -1;
  private final Thread writer;
  /** Syncs the journal while the writer runs a transaction's statements. */
  private final ExecutorService journalSync = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "journal-sync");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /** @param afterCommit {@link CommitSync#afterCommit()} of the index's database */
  public GroupCommit(InstanceIndex index, AfterCommit afterCommit) {
    this(index, afterCommit, null);
  }

  /**
   * @param journal where each acknowledged instance is recorded first (embedded H2: see {@link IndexJournal}), or
   *     null; with a journal, its sync makes a commit durable and {@code afterCommit} runs at most once a second
   */
  public GroupCommit(InstanceIndex index, AfterCommit afterCommit, IndexJournal journal) {
    this.index = index;
    this.afterCommit = afterCommit;
    this.journal = journal;
    this.writer = new Thread(this::run, "index-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Blocks until the entries are committed (or failed); outcomes in the same order. Their blobs are durable. */
  public List<IndexOutcome> storeAll(List<InstanceIndex.Entry> entries) {
    return await(storeWhenDurable(entries, CompletableFuture.completedFuture(null)));
  }

  /**
   * Queues the entries at once, so that their statements run while their blobs are still being made durable;
   * their transaction commits only once {@code blobsDurable} completes, and is rolled back if it fails. Wait for
   * the outcomes with {@link #await}.
   */
  public CompletableFuture<List<IndexOutcome>> storeWhenDurable(List<InstanceIndex.Entry> entries,
      CompletionStage<Void> blobsDurable) {
    if (closed) throw new DataAccessException("the index writer is closed");
    Submission submission = new Submission(entries, blobsDurable);
    synchronized (submitLock) {
      if (aheadGuess >= 0) submission.ahead().set(journalAhead(entries));
      queue.add(submission);
    }
    return submission.result();
  }

  /**
   * With a journal, the submitter writes its lines (those of the likely outcome, as {@link #journalLikely} does) and
   * starts their sync itself, rather than the writer once it takes them: the sync starts while this thread goes on to
   * publish its blobs, and before the writer runs the statements, whose CPU the sync thread would otherwise wait
   * behind on a small machine. For one association this answered each 39 KB instance 0.05-0.07 ms sooner. The writer
   * checks them as its own, and withdraws those that a missed guess makes wrong ({@link #dropQueuedAhead}).
   */
  private Ahead journalAhead(List<InstanceIndex.Entry> entries) {
    List<IndexJournal.Stored> lines = likelyLines(entries, aheadGuess);
    try {
      journal.append(lines);
    } catch (IOException e) {
      aheadGuess = -1;
      log.error("the index journal could not be written before a commit", e);
      throw new DataAccessException("the index journal could not be written: " + e.getMessage(), e);
    }
    aheadGuess += entries.size();
    return new Ahead(lines, requestSync());
  }

  /** The outcomes of {@link #storeWhenDurable}, in the same order, once committed; its failure otherwise. */
  public static List<IndexOutcome> await(CompletableFuture<List<IndexOutcome>> stored) {
    try {
      return stored.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new DataAccessException("index write failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataAccessException("interrupted waiting for the index commit", e);
    }
  }

  /** Has the writer write and sync the index file now: every commit so far is then in it, durably. */
  public void syncIndexFile() {
    exclusive(() -> null);
  }

  /**
   * Runs {@code work} on the writer thread, between store transactions. Under H2 a delete that
   * commits while a store attaches a new series to the same study could leave that series
   * pointing at the deleted study (its foreign-key check does not serialise with the delete);
   * one writer makes that interleaving impossible.
   */
  public <T> T exclusive(Supplier<T> work) {
    return exclusive(work, done -> null);
  }

  /**
   * As {@link #exclusive(Supplier)}, for a change the journal must be able to make again (a delete):
   * {@code journaled} names it from what the work returned, or gives null when it changed nothing.
   */
  @SuppressWarnings("unchecked")
  public <T> T exclusive(Supplier<T> work, Function<? super T, IndexJournal.Record> journaled) {
    if (closed) throw new DataAccessException("the index writer is closed");
    Exclusive task = new Exclusive(work, done -> journaled.apply((T) done), new CompletableFuture<>());
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
          resumeJournalingAhead();
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
        resumeJournalingAhead();
      } catch (InterruptedException e) {
        break;
      } finally {
        group.clear();
      }
    }
  }

  /**
   * Once nothing is queued, the next sequence is the writer's own guess: submitters journal ahead again from there
   * (after a start, a missed guess or an exclusive write).
   */
  private void resumeJournalingAhead() {
    if (journal == null || nextSequenceGuess < 0) return;
    synchronized (submitLock) {
      if (aheadGuess < 0 && queue.isEmpty()) aheadGuess = nextSequenceGuess;
    }
  }

  /**
   * Stops journaling ahead, and gives the withdrawals of the lines that queued submissions journaled ahead: their
   * guesses assumed that those before them come true, and one did not (or a write not journaled ahead comes first).
   * They must be on disk before anything after them commits, or a replay would make them first.
   */
  private List<IndexJournal.Record> dropQueuedAhead() {
    List<IndexJournal.Record> withdrawals = new ArrayList<>();
    synchronized (submitLock) {
      aheadGuess = -1;
      for (Object queued : queue) {
        Ahead ahead = queued instanceof Submission s ? s.ahead().getAndSet(null) : null;
        if (ahead != null) ahead.lines().forEach(line -> withdrawals.add(line.withdrawn()));
      }
    }
    return withdrawals;
  }

  private void runAlone(Exclusive task) {
    nextSequenceGuess = -1;
    if (journal != null) withdraw(List.of()); // what queued stores journaled ahead assumed no write between
    index.forgetCached(); // a delete or a tag change: what the store path remembers of the rows may be gone
    Object done;
    try {
      done = task.work().get();
    } catch (RuntimeException e) {
      task.result().completeExceptionally(e);
      return;
    }
    IndexJournal.Record record = journal == null ? null : task.journaled().apply(done);
    IOException unsynced = journalAndSync(record == null ? List.of() : List.of(record), true);
    if (unsynced != null) task.result().completeExceptionally(new NotDurableException(unsynced));
    else task.result().complete(done);
  }

  /** Writes the group, makes what committed durable, and only then answers each submission. */
  private void commit(List<Submission> group) {
    List<Written> written = write(group);
    // With a journal, what committed is durable already: its lines were synced before the commit.
    IOException unsynced = written.stream().anyMatch(w -> w.failure() == null) ? sync(false, true) : null;
    for (int i = 0; i < group.size(); i++) {
      Written w = written.get(i);
      CompletableFuture<List<IndexOutcome>> result = group.get(i).result();
      if (w.failure() != null) result.completeExceptionally(w.failure());
      else if (unsynced != null) result.completeExceptionally(new NotDurableException(unsynced));
      else result.complete(w.outcomes());
    }
  }

  /** One submission's part of a commit: its outcomes, or why its transaction failed. */
  private record Written(List<IndexOutcome> outcomes, RuntimeException failure) {}

  private List<Written> write(List<Submission> group) {
    List<InstanceIndex.Entry> all = new ArrayList<>();
    group.forEach(s -> all.addAll(s.entries()));
    List<Written> written = new ArrayList<>(group.size());
    try {
      List<IndexOutcome> outcomes = storeJournaled(all, group, () -> group.forEach(GroupCommit::awaitBlobs));
      int from = 0;
      for (Submission s : group) {
        written.add(new Written(outcomes.subList(from, from + s.entries().size()), null));
        from += s.entries().size();
      }
      return written;
    } catch (RuntimeException shared) {
      if (group.size() == 1) return List.of(new Written(null, shared));
      // One submission must not fail the others: retry each in its own transaction.
      log.warn("shared index transaction of {} submissions failed; committing them one by one", group.size(),
          shared);
      for (Submission s : group) {
        try {
          written.add(new Written(storeJournaled(s.entries(), List.of(), () -> awaitBlobs(s)), null));
        } catch (RuntimeException own) {
          written.add(new Written(null, own));
        }
      }
      return written;
    }
  }

  /**
   * One store transaction. With a journal, its lines are appended and synced while the statements run and the blobs
   * are still being made durable (the three overlap), and the commit then waits for the lines and the blobs. The lines
   * are those of the likely outcome, every instance new in entry order from the counter's next sequence: the writer
   * is the only one to take sequences. When the statements decide otherwise (a duplicate, a conflict), the lines that
   * did not come true are withdrawn and the true ones written, durably, before the commit. The lines of an attempt
   * that does not commit are withdrawn, durably, before its failure is reported; a crash before that leaves lines
   * whose blobs the replay checks ({@link IndexJournal}).
   */
  private List<IndexOutcome> storeJournaled(List<InstanceIndex.Entry> entries, List<Submission> submissions,
      Runnable awaitBlobs) {
    if (journal == null) return index.storeAll(entries, outcomes -> awaitBlobs.run());
    List<IndexJournal.Stored> uncommitted = new ArrayList<>();
    try {
      List<Future<?>> journaledAhead = journaledAhead(submissions, uncommitted);
      List<Future<?>> likelySynced = !journaledAhead.isEmpty() ? journaledAhead
          : List.of(journalLikely(entries, uncommitted));
      List<IndexOutcome> committed = index.storeAll(entries, outcomes -> {
        List<IndexJournal.Stored> stored = stored(entries, outcomes);
        try {
          for (Future<?> synced : likelySynced) SyncFutures.await(synced, "the index journal's sync");
          if (!stored.equals(uncommitted)) { // not as guessed, or an earlier attempt of this transaction rolled back
            List<IndexJournal.Record> lines = new ArrayList<>(dropQueuedAhead());
            uncommitted.stream().filter(s -> !stored.contains(s)).forEach(s -> lines.add(s.withdrawn()));
            stored.stream().filter(s -> !uncommitted.contains(s)).forEach(lines::add);
            journal.append(lines);
            uncommitted.clear();
            uncommitted.addAll(stored);
            journal.sync();
          }
        } catch (IOException e) {
          log.error("the index journal could not be written before a commit", e);
          throw new DataAccessException("the index journal could not be written: " + e.getMessage(), e);
        }
        awaitBlobs.run();
      });
      for (IndexJournal.Stored s : uncommitted) nextSequenceGuess = Math.max(nextSequenceGuess, s.sequence() + 1);
      return committed;
    } catch (RuntimeException e) {
      nextSequenceGuess = -1;
      withdraw(uncommitted);
      throw e;
    }
  }

  /** The syncs of the lines the submitters journaled ahead, those lines added to {@code uncommitted}. */
  private List<Future<?>> journaledAhead(List<Submission> submissions, List<IndexJournal.Stored> uncommitted) {
    List<Future<?>> syncs = new ArrayList<>();
    for (Submission s : submissions) {
      Ahead ahead = s.ahead().get();
      if (ahead == null) continue;
      uncommitted.addAll(ahead.lines());
      syncs.add(ahead.synced());
    }
    return syncs;
  }

  /**
   * Appends the lines of the likely outcome (see {@link #storeJournaled}) to {@code uncommitted} and the journal, and
   * syncs them in the background.
   */
  private Future<?> journalLikely(List<InstanceIndex.Entry> entries, List<IndexJournal.Stored> uncommitted) {
    List<IndexJournal.Stored> likely = likelyLines(entries, nextSequenceGuess >= 0 ? nextSequenceGuess
        : index.nextSequence());
    try {
      journal.append(likely);
    } catch (IOException e) {
      log.error("the index journal could not be written before a commit", e);
      throw new DataAccessException("the index journal could not be written: " + e.getMessage(), e);
    }
    uncommitted.addAll(likely);
    return requestSync();
  }

  /** The lines of the likely outcome: every entry new, in order, from sequence {@code next}. */
  private static List<IndexJournal.Stored> likelyLines(List<InstanceIndex.Entry> entries, long next) {
    List<IndexJournal.Stored> likely = new ArrayList<>(entries.size());
    for (InstanceIndex.Entry e : entries) {
      likely.add(new IndexJournal.Stored(next++, e.partition(), e.blobKey(),
          e.onDuplicate() == InstanceIndex.OnDuplicate.REPLACE, e.blobSize(), e.blobChecksum()));
    }
    return likely;
  }

  /** Syncs in the background what was appended so far; one fdatasync serves every request made while one runs. */
  private Future<?> requestSync() {
    long appends = journal.appended();
    return journalSync.submit(() -> {
      journal.syncCovering(appends);
      return null;
    });
  }

  /**
   * Lines of a transaction that rolled back, and those queued stores journaled ahead on the assumption that it would
   * commit: withdrawn and synced, so that no replay makes them.
   */
  private void withdraw(List<IndexJournal.Stored> rolledBack) {
    List<IndexJournal.Record> withdrawals = new ArrayList<>(dropQueuedAhead());
    rolledBack.forEach(s -> withdrawals.add(s.withdrawn()));
    if (withdrawals.isEmpty()) return;
    try {
      journal.append(withdrawals);
      journal.sync();
    } catch (IOException e) {
      // After a crash the replay still finds their blobs gone (discarded) or whole: never half an instance.
      log.error("the index journal could not withdraw {} store(s) that rolled back", rolledBack.size(), e);
    }
  }

  /** Returns once the submission's blobs are durable; throws when they will not be (its transaction rolls back). */
  private static void awaitBlobs(Submission submission) {
    try {
      submission.blobsDurable().toCompletableFuture().get(BLOBS_DURABLE_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new BlobsNotDurableException("the instance could not be made durable: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new BlobsNotDurableException("the instance was not made durable within "
          + BLOBS_DURABLE_TIMEOUT_MINUTES + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlobsNotDurableException("interrupted waiting for the instance to be durable", e);
    }
  }

  /** The journal lines of a transaction's new and replaced instances. */
  private static List<IndexJournal.Stored> stored(List<InstanceIndex.Entry> entries, List<IndexOutcome> outcomes) {
    List<IndexJournal.Stored> stored = new ArrayList<>();
    for (int j = 0; j < entries.size(); j++) {
      InstanceIndex.Entry e = entries.get(j);
      long sequence = outcomes.get(j) instanceof IndexOutcome.Created c ? c.sequence()
          : outcomes.get(j) instanceof IndexOutcome.Replaced r ? r.sequence() : -1;
      if (sequence >= 0) {
        stored.add(new IndexJournal.Stored(sequence, e.partition(), e.blobKey(),
            e.onDuplicate() == InstanceIndex.OnDuplicate.REPLACE, e.blobSize(), e.blobChecksum()));
      }
    }
    return stored;
  }

  /** Appends the records to the journal (if any), then syncs; null once all is on disk. */
  private IOException journalAndSync(List<? extends IndexJournal.Record> records, boolean indexFileNow) {
    try {
      if (journal != null) journal.append(records);
    } catch (IOException e) {
      log.error("the index journal could not be written after a commit", e);
      return e;
    }
    return sync(indexFileNow, false);
  }

  /**
   * Null once every commit so far is on disk, else why it may not be. {@code journalSynced}: the journal holds
   * every commit so far durably already.
   */
  private IOException sync(boolean indexFileNow, boolean journalSynced) {
    try {
      if (journal == null) {
        afterCommit.run();
      } else {
        if (!journalSynced) journal.sync();
        // A journaled store is durable with the journal; the index file itself is then written and synced at most
        // once a second, so that after a crash it comes back at most about that far behind (H2 writes it in the
        // background and never syncs it). Exclusive writes sync it at once: extended query tags are not journaled,
        // and they are rare.
        long now = System.nanoTime();
        if (indexFileNow || now - indexSyncedAt >= INDEX_SYNC_INTERVAL_NANOS) {
          afterCommit.run();
          indexSyncedAt = now;
          journal.indexSynced();
        }
      }
      return null;
    } catch (IOException e) {
      log.error("the index could not be synced to disk after a commit", e);
      return e;
    }
  }

  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    journalSync.shutdown();
    for (Object s; (s = queue.poll()) != null; ) {
      var closedError = new DataAccessException("the index writer is closed");
      if (s instanceof Submission submission) submission.result().completeExceptionally(closedError);
      else ((Exclusive) s).result().completeExceptionally(closedError);
    }
  }
}
