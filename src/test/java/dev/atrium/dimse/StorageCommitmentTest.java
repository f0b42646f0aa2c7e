package dev.atrium.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.commitment.StorageCommitmentService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigLoader;
import dev.atrium.dicom.StorageCommitment;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.support.ArchiveProcess;
import dev.atrium.support.Http;
import dev.atrium.support.ImplicitDataSet;
import dev.atrium.support.Multipart;
import dev.atrium.support.OrthancProcess;
import dev.atrium.support.RawDimseScu;
import dev.atrium.support.StoreScpProcess;
import dev.atrium.support.TcpForwarder;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Storage Commitment Push Model (PS3.4 J) with Orthanc as the modality: it asks (N-ACTION) whether Atrium keeps
 * instances, and Atrium reports (N-EVENT-REPORT) on an association of its own what it keeps and what not, and why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCommitmentTest {
  private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
  private static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";

  private OrthancProcess modality;
  private TestArchive archive;
  private Path dataDir;
  private Path work;
  private final List<TestInstances.Uids> stored = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-commitment");
    work = Files.createTempDirectory("atrium-commitment-work");
    modality = new OrthancProcess("MODALITY", work.resolve("orthanc"));
    archive = TestArchive.create(TestDatabase.H2, dataDir, Map.of("ATRIUM_MOVE_DESTINATIONS",
        "MODALITY@127.0.0.1:" + modality.dicomPort), config -> config);
    modality.start("atrium", "ATRIUM", archive.dimsePort());
    for (int i = 0; i < 2; i++) {
      TestInstances.Uids uids = TestInstances.fresh();
      var stow = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
          Multipart.body(TestInstances.ct(work, uids)));
      assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
      stored.add(uids);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (modality != null) modality.close();
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  @Test
  void everyStoredInstanceIsCommitted() throws Exception {
    JsonNode report = commitment(List.of(List.of(CT_IMAGE, stored.get(0).sop()),
        List.of(CT_IMAGE, stored.get(1).sop())));
    assertThat(report.path("Status").asText()).as(report.toString()).isEqualTo("Success");
    assertThat(report.path("RemoteAET").asText()).isEqualTo("ATRIUM");
    assertThat(report.path("Success").findValuesAsText("SOPInstanceUID"))
        .containsExactlyInAnyOrder(stored.get(0).sop(), stored.get(1).sop());
    assertThat(report.path("Failures")).isEmpty();
  }

  /** PS3.4 J.3.2.1.3.1: 0112 no such object instance, 0119 class-instance conflict. */
  @Test
  void whatIsNotStoredIsReportedWithItsReason() throws Exception {
    String unknown = TestInstances.newUid();
    JsonNode report = commitment(List.of(List.of(CT_IMAGE, stored.get(0).sop()), List.of(CT_IMAGE, unknown),
        List.of(MR_IMAGE, stored.get(1).sop())));
    assertThat(report.path("Status").asText()).as(report.toString()).isEqualTo("Failure");
    assertThat(report.path("Success").findValuesAsText("SOPInstanceUID")).containsExactly(stored.get(0).sop());
    Map<String, Integer> reasons = new java.util.HashMap<>();
    report.path("Failures").forEach(failure -> reasons.put(failure.path("SOPInstanceUID").asText(),
        failure.path("FailureReason").asInt()));
    assertThat(reasons).containsOnly(Map.entry(unknown, 0x0112), Map.entry(stored.get(1).sop(), 0x0119));
  }

  /** A request as large as a long CT series, beyond one index query's 500 UIDs and one PDU's report. */
  @Test
  void aLargeRequestIsAnsweredWhole() throws Exception {
    List<List<String>> instances = new ArrayList<>();
    for (int i = 0; i < 1200; i++) instances.add(List.of(CT_IMAGE, TestInstances.newUid()));
    instances.set(700, List.of(CT_IMAGE, stored.get(0).sop()));
    instances.set(1100, List.of(CT_IMAGE, stored.get(1).sop()));
    JsonNode report = commitment(instances);
    assertThat(report.path("Success").findValuesAsText("SOPInstanceUID"))
        .containsExactlyInAnyOrder(stored.get(0).sop(), stored.get(1).sop());
    assertThat(report.path("Failures").size()).isEqualTo(1198);
  }

  /**
   * The archive stops while it still owes a report (the modality's address was wrong, its first attempt failed): the
   * request was recorded before it was acknowledged, so the next start, with the address mended, sends the report.
   */
  @Test
  void aReportStillOwedAtAStopIsSentAfterTheNextStart() throws Exception {
    withReportOwed("WAITING", (waiting, owing, uids, path, unreachable) -> {
      owing.restart(() -> { }, config -> config.withMoveDestinations(Map.of("WAITING",
          new AtriumConfig.RemoteAe("WAITING", "127.0.0.1", waiting.dicomPort))));
      assertCommitted(awaitReport(waiting, path), uids);
    });
  }

  /**
   * The modality cannot be reached when its report is first due (nothing listens at its address), and can be from
   * a second later: the report arrives with the first retry, 5 s after the first attempt (PS3.4 J.3.3: the SCP
   * opens the association for the report whenever it can).
   */
  @Test
  void aReportThatCannotBeDeliveredIsTriedAgainFiveSecondsLater() throws Exception {
    withReportOwed("RETRY", (waiting, retrying, uids, path, unreachable) -> {
      long reachableFrom = System.nanoTime(); // the first attempt failed over a second ago
      try (TcpForwarder reachable = new TcpForwarder(unreachable, waiting.dicomPort)) {
        JsonNode report = awaitReport(waiting, path, 15);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - reachableFrom);
        assertCommitted(report, uids);
        assertThat(seconds).as("seconds from the modality becoming reachable to the report").isBetween(2L, 10L);
        assertThat(reachable.connections()).as("associations opened to deliver it").isEqualTo(1);
      }
    });
  }

  /**
   * Two nodes on one MariaDB, as behind a load balancer: a report that the node which took the request keeps retrying
   * is not sent by the other meanwhile (the request is leased to its node), and once that node stops owing it, the
   * other sends it.
   */
  @Test
  void aReportIsSentByTheNodeHoldingItAndByAnotherOnceThatNodeStops() throws Exception {
    reportGoesToTheOtherNodeAtTheStop("NODES", StoreScpProcess.freePort(), 60,
        2000, // the other node looks for reports no node makes at its start
        "sent by a node that does not hold the request");
  }

  /**
   * A node whose attempt waits on a modality for longer than a lease (it connects, but the modality never answers, so
   * the attempt lasts the DIMSE idle timeout, 120 s) keeps the request: its heartbeat renews the lease meanwhile, and
   * another node does not send the report under it. Once the holding node stops, the other sends it.
   */
  @Test
  void aNodeWaitingOnAModalityLongerThanALeaseKeepsTheReport() throws Exception {
    try (ServerSocket neverAnswers = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int leaseSeconds = StorageCommitmentService.LEASE_SECONDS;
      reportGoesToTheOtherNodeAtTheStop("LEASE", neverAnswers.getLocalPort(), leaseSeconds + 120,
          (leaseSeconds + StorageCommitmentService.RENEW_SECONDS + 5) * 1000L,
          "sent by another node while the holding node still waits on the modality");
    }
  }

  /**
   * Two nodes on one MariaDB; the one holding the request, a process of its own, is killed (SIGKILL: it neither gives
   * the request up nor renews its lease again). The other node sends the report once the lease has run out, not
   * before, and within the lease and one sweep.
   */
  @Test
  void aReportHeldByANodeThatDiesIsSentByAnotherOnceItsLeaseRunsOut() throws Exception {
    Path sharedData = Files.createTempDirectory("atrium-commitment-killed");
    ArchiveProcess holding = null;
    AtomicBoolean killed = new AtomicBoolean();
    try (OrthancProcess waiting = new OrthancProcess("KILLED", work.resolve("orthanc-killed"))) {
      AtriumConfig defaults = ConfigLoader.load(Map.of());
      AtriumConfig.Db shared = TestDatabase.MARIADB.create(defaults.db());
      holding = ArchiveProcess.start(work, defaults.withEndpoints(sharedData, 0, 0).withDb(shared),
          StoreScpProcess.freePort(), StoreScpProcess.freePort(), "commitment-holding",
          Map.of("ATRIUM_MOVE_DESTINATIONS", "KILLED@127.0.0.1:" + StoreScpProcess.freePort()));
      int leaseSeconds = StorageCommitmentService.LEASE_SECONDS;
      TestInstances.Uids uids = TestInstances.fresh();
      String path = storeAndAskCommitment(waiting, holding.dicomWeb(), holding.dimsePort, uids, leaseSeconds + 120);
      ArchiveProcess dies = holding;
      long afterKillSeconds = otherNodeSendsOnceHoldingStops(waiting, "KILLED", path, uids, sharedData, shared, 2000,
          "sent by a node that does not hold the request", () -> {
            killed.set(true);
            dies.kill();
          }, leaseSeconds + (int) StorageCommitmentScp.UNHELD_SWEEP_SECONDS + 20);
      // The lease was last renewed about RENEW_SECONDS before the kill at most; a second period of slack for a late
      // heartbeat. A node that ignored the lease would send it within one sweep (10 s).
      assertThat(afterKillSeconds).as("sent while the dead node's lease still ran")
          .isGreaterThanOrEqualTo(leaseSeconds - 2L * StorageCommitmentService.RENEW_SECONDS);
    } finally {
      if (holding != null && !killed.get()) holding.kill();
      TempFiles.delete(sharedData);
    }
  }

  /**
   * Two nodes on one MariaDB. The holding node takes the modality's request, with {@code holdingPort} as the
   * modality's address (where its report does not get through); the other node has the right address. After
   * {@code waitMillis} the report is still Pending ({@code otherwise} says what it would mean); once the holding node
   * stops cleanly, the other node sends it.
   */
  private void reportGoesToTheOtherNodeAtTheStop(String modalityAe, int holdingPort, int modalityTimeoutSeconds,
      long waitMillis, String otherwise) throws Exception {
    Path sharedData = Files.createTempDirectory("atrium-commitment-nodes");
    TestArchive holding = null;
    AtomicBoolean stopped = new AtomicBoolean();
    try (OrthancProcess waiting = new OrthancProcess(modalityAe, work.resolve("orthanc-" + modalityAe))) {
      holding = TestArchive.create(TestDatabase.MARIADB, sharedData, Map.of("ATRIUM_MOVE_DESTINATIONS",
          modalityAe + "@127.0.0.1:" + holdingPort), config -> config);
      TestInstances.Uids uids = TestInstances.fresh();
      String path = storeAndAskCommitment(waiting, holding, uids, modalityTimeoutSeconds);
      TestArchive stops = holding;
      otherNodeSendsOnceHoldingStops(waiting, modalityAe, path, uids, sharedData, holding.config.db(), waitMillis,
          otherwise, () -> {
            stopped.set(true);
            stops.close(); // a clean stop gives the request up (an attempt still waiting or not)
          }, 30);
    } finally {
      if (holding != null && !stopped.get()) holding.close();
      TempFiles.delete(sharedData);
    }
  }

  /** How the node holding a request stops owing its report. */
  @FunctionalInterface
  private interface HoldingStop {
    void stop() throws Exception;
  }

  /**
   * The other of two nodes on the {@code shared} index and data, with the right address for the modality: for
   * {@code waitMillis} it does not send the report the holding node owes ({@code otherwise} says what it would mean),
   * and once {@code stop} has run it sends it within {@code reportSeconds}. Returns the seconds from the stop to the
   * report.
   */
  private long otherNodeSendsOnceHoldingStops(OrthancProcess modality, String modalityAe, String path,
      TestInstances.Uids uids, Path sharedData, AtriumConfig.Db shared, long waitMillis, String otherwise,
      HoldingStop stop, int reportSeconds) throws Exception {
    var address = new AtriumConfig.RemoteAe(modalityAe, "127.0.0.1", modality.dicomPort);
    try (TestArchive other = new TestArchive(TestDatabase.H2, sharedData,
        config -> config.withDb(shared).withMoveDestinations(Map.of(modalityAe, address)))) {
      Thread.sleep(waitMillis);
      assertThat(modality.get(path).path("Status").asText()).as(otherwise).isEqualTo("Pending");
      stop.stop();
      long stoppedAt = System.nanoTime();
      JsonNode report = awaitReport(modality, path, reportSeconds);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
      assertCommitted(report, uids);
      return seconds;
    }
  }

  /** Bad input: a request without its Transaction UID, and one from an AE the archive has no address for. */
  @Test
  void aRequestThatCannotBeReportedIsRefusedWithItsReason() throws Exception {
    byte[] noTransaction = new ImplicitDataSet().text(0x0008_0054, "X", false).encode();
    RawDimseScu.Response malformed = nAction(noTransaction);
    assertThat(malformed.status()).isEqualTo(0x0115); // PS3.7 10.1.4.1.10: invalid argument value
    assertThat(malformed.command().getString(CommandSet.ERROR_COMMENT)).contains("Transaction UID (0008,1195)");

    byte[] reference = new ImplicitDataSet().uid(0x0008_1150, CT_IMAGE).uid(0x0008_1155, stored.get(0).sop()).encode();
    byte[] item = ByteBuffer.allocate(8 + reference.length).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(reference.length).put(reference).array();
    byte[] request = new ImplicitDataSet().uid(0x0008_1195, TestInstances.newUid()).bytes(0x0008_1199, item).encode();
    RawDimseScu.Response unknownCaller = nAction(request); // RAWSCU: not among the configured destinations
    assertThat(unknownCaller.status()).isEqualTo(CommandSet.STATUS_PROCESSING_FAILURE);
    assertThat(unknownCaller.command().getString(CommandSet.ERROR_COMMENT)).contains("no address for RAWSCU");
  }

  private RawDimseScu.Response nAction(byte[] dataSet) throws Exception {
    try (RawDimseScu scu = RawDimseScu.open(archive.dimsePort(), "ATRIUM", StorageCommitment.SOP_CLASS)) {
      CommandSet request = new CommandSet().setUI(CommandSet.REQUESTED_SOP_CLASS_UID, StorageCommitment.SOP_CLASS)
          .setUS(CommandSet.COMMAND_FIELD, StorageCommitmentScp.N_ACTION_RQ).setUS(CommandSet.MESSAGE_ID, 1)
          .setUI(CommandSet.REQUESTED_SOP_INSTANCE_UID, StorageCommitment.SOP_INSTANCE).setUS(0x0000_1008, 1);
      scu.send(request, dataSet, false);
      return scu.next();
    }
  }

  /**
   * Starts the modality as {@code archive}'s peer, stores an instance there, and has the modality ask for its
   * commitment; returns the Orthanc job whose status tells of the report.
   */
  private String storeAndAskCommitment(OrthancProcess modality, TestArchive archive, TestInstances.Uids uids)
      throws Exception {
    return storeAndAskCommitment(modality, archive, uids, 60);
  }

  /** As above; the modality waits {@code timeoutSeconds} for the report. */
  private String storeAndAskCommitment(OrthancProcess modality, TestArchive archive, TestInstances.Uids uids,
      int timeoutSeconds) throws Exception {
    return storeAndAskCommitment(modality, archive.dicomWeb(), archive.dimsePort(), uids, timeoutSeconds);
  }

  /** As above, with the archive at these addresses. */
  private String storeAndAskCommitment(OrthancProcess modality, String dicomWeb, int dimsePort,
      TestInstances.Uids uids, int timeoutSeconds) throws Exception {
    modality.start("atrium", "ATRIUM", dimsePort);
    assertThat(Http.post(dicomWeb + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(TestInstances.ct(work, uids))).statusCode()).isEqualTo(200);
    return modality.post("/modalities/atrium/storage-commitment",
        Map.of("DicomInstances", List.of(List.of(CT_IMAGE, uids.sop())), "Timeout", timeoutSeconds)).path("Path")
        .asText();
  }

  /** What a test does once a report is owed to a modality the archive cannot reach (at {@code unreachable}). */
  @FunctionalInterface
  private interface ReportOwed {
    void then(OrthancProcess modality, TestArchive archive, TestInstances.Uids uids, String path, int unreachable)
        throws Exception;
  }

  /**
   * A modality {@code ae} and an archive of its own on embedded H2 whose address for it reaches nobody; an instance
   * stored and its commitment asked: the first attempt fails at once, and a second later the report is still owed
   * (the next attempt would be 5 s later).
   */
  private void withReportOwed(String ae, ReportOwed then) throws Exception {
    String name = ae.toLowerCase(java.util.Locale.ROOT);
    Path data = Files.createTempDirectory("atrium-commitment-" + name);
    int unreachable = StoreScpProcess.freePort();
    try (OrthancProcess modality = new OrthancProcess(ae, work.resolve("orthanc-" + name));
        TestArchive archive = TestArchive.create(TestDatabase.H2, data,
            Map.of("ATRIUM_MOVE_DESTINATIONS", ae + "@127.0.0.1:" + unreachable), config -> config)) {
      TestInstances.Uids uids = TestInstances.fresh();
      String path = storeAndAskCommitment(modality, archive, uids);
      Thread.sleep(1000);
      assertThat(modality.get(path).path("Status").asText()).isEqualTo("Pending");
      then.then(modality, archive, uids, path, unreachable);
    } finally {
      TempFiles.delete(data);
    }
  }

  /** The report commits exactly the one instance asked about. */
  private static void assertCommitted(JsonNode report, TestInstances.Uids uids) {
    assertThat(report.path("Status").asText()).as(report.toString()).isEqualTo("Success");
    assertThat(report.path("Success").findValuesAsText("SOPInstanceUID")).containsExactly(uids.sop());
  }

  /** Orthanc sends the N-ACTION, then waits for Atrium's report on an association Atrium opens. */
  private JsonNode commitment(List<List<String>> instances) throws Exception {
    JsonNode request = modality.post("/modalities/atrium/storage-commitment",
        Map.of("DicomInstances", instances, "Timeout", 30));
    return awaitReport(modality, request.path("Path").asText());
  }

  private static JsonNode awaitReport(OrthancProcess modality, String path) throws Exception {
    return awaitReport(modality, path, 10);
  }

  private static JsonNode awaitReport(OrthancProcess modality, String path, int seconds) throws Exception {
    for (int i = 0; i < seconds * 10; i++) {
      JsonNode report = modality.get(path);
      if (!report.path("Status").asText().equals("Pending")) return report;
      Thread.sleep(100);
    }
    throw new AssertionError("no storage commitment report reached the modality in " + seconds + " s");
  }
}
