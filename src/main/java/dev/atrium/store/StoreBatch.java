package dev.atrium.store;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one STOW-RS request: each part is staged as it arrives (its data fsync runs
 * while the next parts stream in), and up to {@link #MAX_PENDING} parts are published and
 * indexed together. Outcomes keep the parts' order. Only headers are held between commits,
 * never instance bytes.
 */
public final class StoreBatch implements AutoCloseable {
  static final int MAX_PENDING = 32;

  private final StoreService service;
  private final String partition;
  private final String requiredStudyUid;
  private final DuplicatePolicy policy;
  private final List<StoreOutcome> outcomes = new ArrayList<>();
  private final List<Integer> pendingSlots = new ArrayList<>();
  private final List<StoreService.PendingInstance> pending = new ArrayList<>();

  StoreBatch(StoreService service, String partition, String requiredStudyUid, DuplicatePolicy policy) {
    this.service = service;
    this.partition = partition;
    this.requiredStudyUid = requiredStudyUid;
    this.policy = policy;
  }

  /** Reads one PS3.10 part to its end. */
  public void add(InputStream part10) throws IncompleteInputException {
    StoreService.Prepared prepared = service.prepareFile(part10, requiredStudyUid);
    if (prepared instanceof StoreService.PendingInstance instance) {
      pendingSlots.add(outcomes.size());
      outcomes.add(null);
      pending.add(instance);
      if (pending.size() >= MAX_PENDING) flush();
    } else {
      outcomes.add(((StoreService.Refused) prepared).outcome());
    }
  }

  /** A part refused before it reached the store (e.g. not application/dicom). */
  public void reject(StoreOutcome outcome) {
    outcomes.add(outcome);
  }

  /** Indexes what is pending and returns every part's outcome, in order. */
  public List<StoreOutcome> finish() {
    flush();
    outcomes.forEach(service.counts::count);
    return List.copyOf(outcomes);
  }

  private void flush() {
    if (pending.isEmpty()) return;
    List<StoreOutcome> committed = service.commitAll(partition, policy, pending);
    for (int i = 0; i < committed.size(); i++) outcomes.set(pendingSlots.get(i), committed.get(i));
    pending.clear();
    pendingSlots.clear();
  }

  /** Discards what was never committed (the request failed part-way). */
  @Override
  public void close() {
    pending.forEach(p -> StoreService.discard(p.blob()));
    pending.clear();
  }
}
