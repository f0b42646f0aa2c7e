package dev.atrium.fhir;

import dev.atrium.changefeed.ChangeFeedService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.FhirSettings;
import dev.atrium.config.NodeName;
import dev.atrium.index.FhirSyncIndex;
import dev.atrium.retrieve.RetrieveService;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOMcast: one background thread that follows the change feed from the checkpoint kept in the
 * index and keeps the FHIR server's Patient, ImagingStudy and Endpoint resources in step. Only
 * the node holding the index's lease moves the checkpoint; changes the FHIR server cannot take
 * now are retried with backoff (checkpoint kept), changes it rejects are recorded and skipped.
 */
public final class FhirSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FhirSync.class);
  private static final int LEASE_SECONDS = 30;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final FhirSettings settings;
  private final ChangeFeedService feed;
  private final FhirSyncIndex index;
  private final ChangeReader reader;
  private final StudySync studies;
  private final String node;
  private final Object wake = new Object();
  private volatile boolean running;
  private volatile FhirSyncStatus.State state;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private Thread thread;

  private final AtriumConfig config;

  public FhirSync(AtriumConfig config, ChangeFeedService feed, RetrieveService retrieve, FhirSyncIndex index) {
    this.config = config;
    this.settings = config.fhir();
    this.feed = feed;
    this.index = index;
    this.reader = new ChangeReader(feed, retrieve);
    this.studies = new StudySync(new FhirClients(settings), settings.onLastInstanceDeleted());
    this.node = NodeName.unique();
    this.state = settings.enabled() ? FhirSyncStatus.State.IDLE : FhirSyncStatus.State.DISABLED;
  }

  /** Starts the worker when fhir.enabled is true; {@code httpPort}: where DICOMweb listens. */
  public synchronized void start(int httpPort) {
    if (!settings.enabled() || thread != null) return;
    studies.useEndpoints(new SharedResources(DicomWebAddress.of(config, httpPort)::forPartition));
    running = true;
    thread = new Thread(this::run, "fhir-sync");
    thread.setDaemon(true);
    thread.start();
    log.info("FHIR sync to {} started as node {}", settings.baseUrl(), node);
  }

  public FhirSyncStatus status() {
    FhirSyncIndex.State stored = index.state();
    return new FhirSyncStatus(state, stored.checkpoint(), feed.lastSequence(), node, stored.leaseOwner(),
        lastError, lastErrorAt, index.errorCount());
  }

  public List<FhirSyncIndex.Error> errors(int skip, int limit) {
    return index.errors(skip, limit);
  }

  private void run() {
    long backoff = settings.pollIntervalMs();
    while (running) {
      try {
        if (!index.tryLease(node, LEASE_SECONDS)) {
          state = FhirSyncStatus.State.STANDBY;
          pause(settings.pollIntervalMs());
          continue;
        }
        if (syncBatch()) {
          backoff = settings.pollIntervalMs();
        } else {
          state = FhirSyncStatus.State.IDLE;
          pause(settings.pollIntervalMs());
        }
      } catch (RuntimeException e) {
        // Transient FHIR failures, and the index being unreachable: keep the checkpoint, retry later.
        state = FhirSyncStatus.State.RETRYING;
        lastError = e.getMessage();
        lastErrorAt = Instant.now();
        log.warn("FHIR sync will retry in {} ms: {}", backoff, e.getMessage());
        pause(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
    try {
      index.release(node);
    } catch (RuntimeException e) {
      log.debug("could not release the FHIR sync lease: {}", e.getMessage());
    }
    state = FhirSyncStatus.State.STOPPED;
  }

  /** Applies the next batch; false when there was nothing to do. */
  private boolean syncBatch() {
    List<StudyChanges> groups = reader.next(index.state().checkpoint(), settings.batchSize());
    if (groups.isEmpty()) return false;
    state = FhirSyncStatus.State.SYNCING;
    for (StudyChanges group : groups) {
      if (!running) return true;
      if (!group.changes().isEmpty()) apply(group);
      if (!index.advance(node, group.lastSequence(), LEASE_SECONDS)) {
        log.info("FHIR sync lease lost to another node; standing by");
        return true;
      }
    }
    return true;
  }

  /** Applies a group; a permanent rejection is recorded and skipped, anything else propagates. */
  private void apply(StudyChanges group) {
    try {
      studies.apply(group);
    } catch (FhirFailure failure) {
      if (failure.kind() != FhirFailure.Kind.PERMANENT) throw failure;
      log.warn("FHIR server rejected changes {}..{} of study {}: {}", group.firstSequence(), group.lastSequence(),
          group.studyUid(), failure.getMessage());
      index.recordError(new FhirSyncIndex.Error(group.firstSequence(), group.lastSequence(), group.partition(),
          group.studyUid(), failure.status(), failure.getMessage(), null));
    }
  }

  private void pause(long millis) {
    synchronized (wake) {
      if (!running) return;
      try {
        wake.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  /** Stops the worker after the FHIR call in flight, and gives the lease up for other nodes. */
  @Override
  public void close() throws InterruptedException {
    Thread worker;
    synchronized (this) {
      worker = thread;
      thread = null;
    }
    if (worker == null) return;
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    worker.join(15_000); // a FHIR call still in flight then ends with its socket timeout (daemon thread)
    log.info("FHIR sync stopped");
  }
}
