package dev.atrium.dimse;

import dev.atrium.commitment.StorageCommitmentService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.AtriumConfig.RemoteAe;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dicom.StorageCommitment;
import dev.atrium.dimse.net.AcceptedContext;
import dev.atrium.dimse.net.ClientAssociation;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.index.CommitmentIndex;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage Commitment Push Model SCP (PS3.4 J.3): a modality asks (N-ACTION) whether the archive keeps instances safe
 * before it deletes its own copies; the archive answers at once that it took the request, then reports which it
 * keeps (N-EVENT-REPORT) on an association of its own to the modality, found by its AE title among the configured
 * destinations (PS3.4 J.3.3: the SCU need not wait on its association, and most, Orthanc among them, do not).
 */
final class StorageCommitmentScp implements DimseRequestHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StorageCommitmentScp.class);
  static final int N_ACTION_RQ = 0x0130;
  private static final int N_ACTION_RSP = 0x8130;
  private static final int N_EVENT_REPORT_RQ = 0x0100;
  private static final int ACTION_TYPE_ID = 0x0000_1008;
  private static final int EVENT_TYPE_ID = 0x0000_1002;
  /** PS3.7 Table 10.1-4: N-ACTION failures. */
  private static final int STATUS_INVALID_ARGUMENT_VALUE = 0x0115;
  private static final int STATUS_INVALID_OBJECT_INSTANCE = 0x0117;
  private static final int STATUS_NO_SUCH_ACTION = 0x0123;
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /** A modality that is down for a while still gets its report. */
  private static final long[] RETRY_DELAYS_SECONDS = {5, 30, 120};
  /** How often a node looks for reports no node is making (another node stopped or died owing them). */
  static final long UNHELD_SWEEP_SECONDS = 10;
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final StorageCommitmentService commitments;
  private final CalledAePartitions partitions;
  private final Map<String, RemoteAe> destinations;
  private final String aeTitle;
  private final int maxPduLength;
  private final int readTimeoutMillis;
  /**
   * One thread: reports go out one at a time, retries wait their turn. What is owed is in the index, so a stop drops
   * only the waiting: another node, or the next start, sends those reports.
   */
  private final ScheduledThreadPoolExecutor reports = new ScheduledThreadPoolExecutor(1, runnable -> {
    Thread thread = new Thread(runnable, "storage-commitment-reports");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The leases' heartbeat, apart from the reports' thread: an attempt can wait on a modality longer than a lease
   * (connect, then each answer up to the DIMSE idle timeout), and its request must stay this node's meanwhile.
   */
  private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "storage-commitment-leases");
    thread.setDaemon(true);
    return thread;
  });

  StorageCommitmentScp(StorageCommitmentService commitments, CalledAePartitions partitions, AtriumConfig config) {
    reports.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop drops the retries still waiting
    this.commitments = commitments;
    this.partitions = partitions;
    this.destinations = config.moveDestinations();
    this.aeTitle = config.aeTitle();
    this.maxPduLength = config.dimse().maxPduLength();
    this.readTimeoutMillis = config.dimse().idleTimeoutSeconds() * 1000;
    reports.scheduleWithFixedDelay(this::reportUnheld, 0, UNHELD_SWEEP_SECONDS, TimeUnit.SECONDS);
    leases.scheduleWithFixedDelay(this::renewLeases, StorageCommitmentService.RENEW_SECONDS,
        StorageCommitmentService.RENEW_SECONDS, TimeUnit.SECONDS);
  }

  private void renewLeases() {
    try {
      commitments.renewHeld();
    } catch (RuntimeException e) {
      log.warn("storage commitment: leases not renewed (tried again in {} s): {}",
          StorageCommitmentService.RENEW_SECONDS, e.toString());
    }
  }

  static boolean isStorageCommitment(String sopClassUid) {
    return StorageCommitment.SOP_CLASS.equals(sopClassUid);
  }

  @Override
  public void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
    if (!StorageCommitment.SOP_INSTANCE.equals(request.getString(CommandSet.REQUESTED_SOP_INSTANCE_UID))) {
      answer(exchange, request, STATUS_INVALID_OBJECT_INSTANCE, "the Requested SOP Instance UID must be the "
          + "well-known " + StorageCommitment.SOP_INSTANCE + " (PS3.4 J.3.5)");
      return;
    }
    if (request.getInt(ACTION_TYPE_ID, 0) != 1) {
      answer(exchange, request, STATUS_NO_SUCH_ACTION, "Action Type ID " + request.getInt(ACTION_TYPE_ID, 0)
          + ": only 1, Request Storage Commitment, exists");
      return;
    }
    StorageCommitment.Request commitment;
    try {
      if (dataSet == null) throw new DicomParseException("the N-ACTION has no data set");
      commitment = StorageCommitment.read(dataSet, exchange.transferSyntaxUid());
    } catch (DicomParseException e) {
      answer(exchange, request, STATUS_INVALID_ARGUMENT_VALUE, e.getMessage());
      return;
    }
    String caller = exchange.association().callingAeTitle();
    RemoteAe modality = destinations.get(caller);
    if (modality == null) {
      answer(exchange, request, CommandSet.STATUS_PROCESSING_FAILURE, "no address for " + caller
          + " to report to: add it to moveDestinations");
      return;
    }
    String partition = partitions.of(exchange);
    long id;
    try {
      id = commitments.take(caller, partition, commitment); // durable before the modality hears it was taken
    } catch (RuntimeException e) {
      log.error("storage commitment {} from {}: the request could not be recorded", commitment.transactionUid(),
          caller, e);
      answer(exchange, request, CommandSet.STATUS_PROCESSING_FAILURE, "the archive could not record the request");
      return;
    }
    answer(exchange, request, CommandSet.STATUS_SUCCESS, null);
    log.info("storage commitment {} from {}: {} instance(s), report to follow", commitment.transactionUid(), caller,
        commitment.references().size());
    Delivery delivery = new Delivery(id, modality, partition, commitment);
    reports.execute(() -> report(delivery, 0));
  }

  /** A report the archive owes: the request, recorded under {@code id}, and where it goes. */
  private record Delivery(long id, RemoteAe modality, String partition, StorageCommitment.Request request) {}

  /**
   * The reports no node is making, now this node's: at a start, those a stop or crash interrupted; later, those of a
   * node sharing the index that stopped or died owing them. Their instances are checked now, as at any attempt.
   */
  private void reportUnheld() {
    try {
      for (CommitmentIndex.Owed owed : commitments.takeUnheld()) {
        RemoteAe modality = destinations.get(owed.callingAe());
        String transactionUid = owed.request().transactionUid();
        if (modality == null) {
          log.error("storage commitment {}: {} is no longer among moveDestinations; its report is given up",
              transactionUid, owed.callingAe());
          commitments.reported(owed.id());
          continue;
        }
        log.info("storage commitment {} from {}: report still owed, from before this start or another node",
            transactionUid, owed.callingAe());
        report(new Delivery(owed.id(), modality, owed.partition(), owed.request()), 0);
      }
    } catch (RuntimeException e) {
      log.error("storage commitment: the reports owed could not be read", e);
    }
  }

  /** N-ACTION-RSP: Affected SOP Class and Instance, as PS3.7 10.3.4 and peers (Orthanc checks both) want. */
  private static void answer(DimseExchange exchange, CommandSet request, int status, String comment)
      throws IOException {
    CommandSet response = CommandSet.responseTo(request, N_ACTION_RSP, status)
        .setUI(CommandSet.AFFECTED_SOP_INSTANCE_UID, StorageCommitment.SOP_INSTANCE);
    if (status == CommandSet.STATUS_SUCCESS) response.setUS(ACTION_TYPE_ID, 1);
    if (comment != null) response.setLO(CommandSet.ERROR_COMMENT, comment);
    exchange.sendResponse(response, null);
  }

  /**
   * Checks the index when the report is made (again at each retry: a late store counts), then sends it; once it is
   * delivered, or given up, the request is no longer owed.
   */
  private void report(Delivery delivery, int attempt) {
    RemoteAe modality = delivery.modality();
    String transactionUid = delivery.request().transactionUid();
    if (!stillOurs(delivery)) {
      log.info("storage commitment {}: another node took the report over", transactionUid);
      return;
    }
    try {
      StorageCommitmentService.Outcome outcome =
          commitments.check(delivery.partition(), delivery.request().references());
      send(modality, transactionUid, outcome);
      log.info("storage commitment {} reported to {}: {} committed, {} failed", transactionUid, modality.aeTitle(),
          outcome.committed().size(), outcome.failed().size());
    } catch (IOException | RuntimeException e) {
      if (attempt < RETRY_DELAYS_SECONDS.length) {
        long delay = RETRY_DELAYS_SECONDS[attempt];
        log.warn("storage commitment {}: report to {} failed ({}); again in {} s", transactionUid,
            modality.aeTitle(), e.toString(), delay);
        reports.schedule(() -> report(delivery, attempt + 1), delay, TimeUnit.SECONDS);
        return;
      }
      log.error("storage commitment {}: no report reached {} at {}:{} after {} attempts, given up: {}",
          transactionUid, modality.aeTitle(), modality.host(), modality.port(), attempt + 1, e.toString());
    }
    try {
      commitments.reported(delivery.id());
    } catch (RuntimeException e) {
      log.warn("storage commitment {}: could not be marked reported (it is sent again at the next start): {}",
          transactionUid, e.toString());
    }
  }

  /** Renews the lease before an attempt; an index that cannot be reached leaves the attempt to go ahead. */
  private boolean stillOurs(Delivery delivery) {
    try {
      return commitments.stillOurs(delivery.id());
    } catch (RuntimeException e) {
      log.warn("storage commitment {}: lease not renewed: {}", delivery.request().transactionUid(), e.toString());
      return true;
    }
  }

  /** N-EVENT-REPORT-RQ (PS3.4 J.3.3): Event Type 1 when every instance is committed, 2 when some are not. */
  private void send(RemoteAe modality, String transactionUid, StorageCommitmentService.Outcome outcome)
      throws IOException {
    List<String> syntaxes = List.of(SopClasses.EXPLICIT_VR_LITTLE_ENDIAN, SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);
    try (ClientAssociation association = ClientAssociation.open(new ClientAssociation.Settings(aeTitle,
        modality.aeTitle(), modality.host(), modality.port(), maxPduLength, CONNECT_TIMEOUT_MILLIS, readTimeoutMillis),
        List.of(new ClientAssociation.ProposedContext(StorageCommitment.SOP_CLASS, syntaxes, true)))) {
      List<AcceptedContext> contexts = association.requestContexts(StorageCommitment.SOP_CLASS);
      if (contexts.isEmpty()) throw new IOException(modality.aeTitle() + " accepted no Storage Commitment context");
      AcceptedContext context = contexts.get(0);
      byte[] report = StorageCommitment.report(context.transferSyntax(), transactionUid, aeTitle, outcome.committed(),
          outcome.failed());
      CommandSet event = new CommandSet()
          .setUI(CommandSet.AFFECTED_SOP_CLASS_UID, StorageCommitment.SOP_CLASS)
          .setUS(CommandSet.COMMAND_FIELD, N_EVENT_REPORT_RQ)
          .setUI(CommandSet.AFFECTED_SOP_INSTANCE_UID, StorageCommitment.SOP_INSTANCE)
          .setUS(EVENT_TYPE_ID, outcome.failed().isEmpty() ? 1 : 2);
      int messageId = association.sendRequest(context.id(), event, out -> out.write(report));
      CommandSet response = association.awaitResponse(messageId);
      if (response.status() != CommandSet.STATUS_SUCCESS) {
        throw new IOException(modality.aeTitle() + " answered the report with status "
            + String.format("%04X", response.status()));
      }
      association.release();
    }
  }

  /** Lets a report under way finish, then gives up this node's leases: what it still owes goes to another node. */
  @Override
  public void close() {
    leases.shutdownNow(); // a lease outlasts the waits below; however the stop goes, a stopped node renews nothing
    reports.shutdown();
    try {
      if (!reports.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.info("storage commitment: a report still under way at the stop");
      }
      leases.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS); // no renewal after the release
      commitments.release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("storage commitment: leases not released at the stop (they expire): {}", e.toString());
    }
  }
}
