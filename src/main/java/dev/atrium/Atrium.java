package dev.atrium;

import dev.atrium.audit.AuditEvent;
import dev.atrium.audit.AuditPatients;
import dev.atrium.audit.AuditTrail;
import dev.atrium.audit.AuditTrails;
import dev.atrium.changefeed.ChangeFeedService;
import dev.atrium.commitment.StorageCommitmentService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.NodeName;
import dev.atrium.delete.DeleteService;
import dev.atrium.dimse.DimseAdapter;
import dev.atrium.fhir.FhirSync;
import dev.atrium.health.HealthCheck;
import dev.atrium.index.BlobGarbage;
import dev.atrium.index.ChangeFeedIndex;
import dev.atrium.index.Database;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.index.CommitmentIndex;
import dev.atrium.index.FhirSyncIndex;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.index.InstanceIndex;
import dev.atrium.index.InstanceLocator;
import dev.atrium.index.OperationIndex;
import dev.atrium.index.PartitionIndex;
import dev.atrium.index.QueryIndex;
import dev.atrium.index.StudyPatientIndex;
import dev.atrium.metrics.Metrics;
import dev.atrium.metrics.ProcessMetrics;
import dev.atrium.partition.PartitionService;
import dev.atrium.query.QueryEngine;
import dev.atrium.retrieve.MatchMetadata;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.FileSystemBlobStore;
import dev.atrium.store.BlobReclaimer;
import dev.atrium.store.JournalReplay;
import dev.atrium.store.StoreService;
import dev.atrium.tags.ExtendedQueryTagService;
import dev.atrium.tags.ExtendedValueParser;
import dev.atrium.tags.Reindexer;
import dev.atrium.web.WebServer;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running archive: index, store, capabilities and both protocol adapters, wired once. */
public final class Atrium implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Atrium.class);

  private final Database db;
  private final IndexJournal journal;
  private final BlobStore blobs;
  private final BlobReclaimer reclaimer;
  private final GroupCommit groupCommit;
  private final WebServer web;
  private final DimseAdapter dimse;
  private final AuditTrail audit;
  private final FhirSync fhirSync;
  private final Reindexer reindexer;

  private Atrium(Database db, IndexJournal journal, BlobStore blobs, BlobReclaimer reclaimer, GroupCommit groupCommit, WebServer web,
      DimseAdapter dimse, AuditTrail audit, FhirSync fhirSync, Reindexer reindexer) {
    this.journal = journal;
    this.audit = audit;
    this.fhirSync = fhirSync;
    this.reindexer = reindexer;
    this.db = db;
    this.blobs = blobs;
    this.reclaimer = reclaimer;
    this.groupCommit = groupCommit;
    this.web = web;
    this.dimse = dimse;
  }

  /** Opens the index, recovers from any crash, then starts listening on both protocols. */
  public static Atrium start(AtriumConfig config) throws Exception {
    Files.createDirectories(config.dataDir());
    Database db = Database.open(config.db(), config.dataDir());
    Metrics metrics = new Metrics();
    AuditTrail audit = null;
    IndexJournal journal = null;
    BlobStore blobs = null;
    WebServer web = null;
    DimseAdapter dimse = null;
    try {
      StudyPatientIndex studyPatients = new StudyPatientIndex(db);
      audit = AuditTrails.open(config, (partition, study) -> studyPatients.of(partition, study)
          .map(p -> new AuditPatients.Patient(p.id(), p.name())).orElse(null));
      blobs = new FileSystemBlobStore(config.dataDir().resolve("blobs"));
      InstanceLocator locator = new InstanceLocator(db);
      BlobReclaimer reclaimer = new BlobReclaimer(blobs, new BlobGarbage(db), locator);
      ExtendedTagIndex extendedTags = new ExtendedTagIndex(db);
      ExtendedValueParser extendedValues = new ExtendedValueParser();
      // Embedded H2 can lose its last commits in a crash: the store path also journals what it acknowledged.
      journal = db.commitSync().syncs() ? IndexJournal.open(config.dataDir().resolve("index").resolve("journal"))
          : null;
      GroupCommit groupCommit = new GroupCommit(new InstanceIndex(db, extendedTags, extendedValues),
          db.commitSync()::afterCommit, journal);
      ChangeFeedIndex changes = new ChangeFeedIndex(db);
      InstanceDeletion deletion = new InstanceDeletion(db);
      reclaimer.restoreAfterCrash(); // before the index is read: files first, then what names them
      if (changes.alignCounter()) log.warn("recovery: the change-feed counter was behind its last change; moved on");
      if (journal != null) JournalReplay.replay(journal, changes.lastSequence(), blobs, groupCommit, deletion);
      reclaimer.recoverAfterCrash();
      StoreService store = new StoreService(blobs, groupCommit, reclaimer, config.store().minFreeSpaceBytes(),
          metrics);
      ProcessMetrics.register(metrics, blobs);
      RetrieveService retrieve = new RetrieveService(locator, blobs, config.dataDir().resolve("spool"));
      QueryEngine query = new QueryEngine(new QueryIndex(db), extendedTags, new MatchMetadata(retrieve));
      OperationIndex operations = new OperationIndex(db, extendedTags);
      Reindexer reindexer = new Reindexer(extendedTags, operations, extendedValues, retrieve);
      ExtendedQueryTagService tags = new ExtendedQueryTagService(extendedTags, operations, groupCommit, reindexer);
      ChangeFeedService changeFeed = new ChangeFeedService(changes);
      DeleteService delete = new DeleteService(deletion, groupCommit, reclaimer);
      FhirSync fhirSync = new FhirSync(config, changeFeed, retrieve, new FhirSyncIndex(db));
      web = new WebServer(config, store, query, retrieve, changeFeed, delete, new HealthCheck(db, blobs),
          new PartitionService(new PartitionIndex(db)), audit, fhirSync, tags, metrics);
      StorageCommitmentService commitments =
          new StorageCommitmentService(retrieve, new CommitmentIndex(db), groupCommit, NodeName.unique());
      if (db.embedded()) commitments.forgetPastRuns();
      dimse = new DimseAdapter(config, store, query, retrieve, commitments, audit, metrics);
      web.start();
      dimse.start();
      fhirSync.start(web.port());
      reindexer.start();
      log.info("Atrium started: AE {} on DIMSE port {}, HTTP port {}, data in {}, index {}", config.aeTitle(),
          dimse.port(), web.port(), config.dataDir().toAbsolutePath(), config.db().embedded() ? "H2 (embedded)"
              : config.db().url());
      audit.record(AuditEvent.of(AuditEvent.Kind.APPLICATION_START, AuditEvent.Outcome.SUCCESS, config.aeTitle(),
          null, null, null, null, "Atrium started"));
      return new Atrium(db, journal, blobs, reclaimer, groupCommit, web, dimse, audit, fhirSync, reindexer);
    } catch (Exception | Error e) {
      // Whatever listens already stops too: a DIMSE port in use once left HTTP serving a half-started archive.
      if (dimse != null) closeQuietly(dimse);
      if (web != null) closeQuietly(web);
      if (audit != null) audit.close();
      if (blobs != null) blobs.close();
      db.close();
      if (journal != null) journal.close(); // kept: it may still hold instances the index lost
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable started) {
    try {
      started.close();
    } catch (Exception e) {
      log.warn("while stopping after a failed start: {}", e.toString());
    }
  }

  public int httpPort() {
    return web.port();
  }

  public int dimsePort() {
    return dimse.port();
  }

  /** -1 when TLS is not configured. */
  public int httpsPort() {
    return web.httpsPort();
  }

  /** -1 when TLS is not configured. */
  public int dimseTlsPort() {
    return dimse.tlsPort();
  }

  /** Whether the embedded index closed itself after a failed write (a full disk): only a new start reopens it. */
  public boolean indexLost() {
    return db.closedByError();
  }

  @Override
  public void close() throws Exception {
    try {
      fhirSync.close();
      reindexer.close(); // before the web server's stop, which waits for the requests under way
      dimse.stopAccepting(); // its requests under way finish while the web server's do
      web.close();
      dimse.close();
      groupCommit.close();
      reclaimer.close();
      blobs.close(); // every committed blob's final name on disk: the next start finds staging empty
      try {
        db.commitSync().afterCommit();
      } finally {
        db.close();
        // Kept even after a clean close: the next start drops it once it finds the index holds what it names.
        if (journal != null) journal.close();
      }
    } finally {
      audit.record(AuditEvent.of(AuditEvent.Kind.APPLICATION_STOP, AuditEvent.Outcome.SUCCESS, "atrium", null, null,
          null, null, "Atrium stopped"));
      audit.close();
      log.info("Atrium stopped");
    }
  }
}
