package dev.atrium;

import static dev.atrium.index.schema.Tables.INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigLoader;
import dev.atrium.index.ChangeFeedIndex;
import dev.atrium.index.Database;
import dev.atrium.index.IndexJournal;
import dev.atrium.support.ArchiveProcess;
import dev.atrium.support.FreePorts;
import dev.atrium.support.Multipart;
import dev.atrium.support.Part10;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jooq.Record3;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #2: the archive, a separate JVM, is killed with SIGKILL while storescu and STOW-RS clients
 * are sending, then restarted on the same data. Every instance whose success was acknowledged must
 * be retrievable and byte-identical; an instance in flight at the kill may be there or not, but if
 * it is there it is whole; every index row has its blob, no blob lacks its row, staging is empty.
 * Before each restart, as a power loss could: the final names whose directory sync was still pending are dropped,
 * half of the staging entries renamed back to an unplaced name, and the last bytes of each staged blob not yet
 * linked (its data fsync perhaps unfinished, while its journal line may be synced) zeroed. Several cycles, so later
 * crashes also hit an archive that has already recovered from one. With the embedded index, the index is its file
 * and the journal that the next start makes again: H2 has reopened, after a clean stop, without that run's writes.
 */
class CrashRecoveryTest {
  private static final int CYCLES = 3;
  /** Concurrent senders per protocol: several instances are in flight at the kill. */
  private static final int SENDERS = 2;
  private static final int STORESCU_BATCH = 5;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong UID_COUNTER = new AtomicLong();

  /** Fixed-length UIDs in the template, replaced by fresh ones of the same length in each copy. */
  private static final Uids PLACEHOLDER = new Uids(placeholder('1'), placeholder('2'), placeholder('3'));

  /** One instance made for a cycle: its file as sent, and how it is sent. */
  record Sent(Uids uids, Path file, boolean dimse) {}

  /** What the clients were told, gathered concurrently. */
  static final class Ledger {
    final Set<Sent> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<Sent> attempted = ConcurrentHashMap.newKeySet();
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    volatile boolean killed;

    Set<Sent> inFlight() {
      Set<Sent> unanswered = new HashSet<>(attempted);
      unanswered.removeAll(acknowledged);
      return unanswered;
    }
  }

  /**
   * H2 reuses freed file space after RETENTION_TIME, 45 s by default, longer than these cycles run; 1 s makes a few
   * seconds of ingest look like an archive that has been up for minutes. Then H2 lost the last acknowledged
   * instances at most kills (see scripts/h2-crash-check), and the store path's journal must bring them back.
   */
  private static AtriumConfig.Db h2ReusingSpaceAfterOneSecond(Path dataDir, AtriumConfig.Db embedded) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("index").resolve("atrium")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=1000";
    return new AtriumConfig.Db(url, embedded.user(), embedded.password(), embedded.poolSize());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestDatabase.class)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void acknowledgedInstancesSurviveSigkillAndNothingIsLeftHalfDone(TestDatabase database) throws Exception {
    AtriumConfig defaults = ConfigLoader.load(Map.of());
    AtriumConfig.Db db = database.create(defaults.db()); // skips the test when MariaDB is not provided
    Path root = Files.createTempDirectory("atrium-crash");
    Path dataDir = root.resolve("data");
    Path work = Files.createDirectories(root.resolve("work"));
    if (database == TestDatabase.H2) db = h2ReusingSpaceAfterOneSecond(dataDir, db);
    AtriumConfig config = defaults.withEndpoints(dataDir, 0, 0).withDb(db);
    int httpPort = FreePorts.forLaterBind();
    int dimsePort = FreePorts.forLaterBind();
    byte[] template = Files.readAllBytes(TestInstances.ct(work, PLACEHOLDER));

    List<Sent> stored = new ArrayList<>(); // acknowledged, or found whole after the crash
    ArchiveProcess server = null;
    boolean passed = false;
    try {
      server = ArchiveProcess.start(root, config, httpPort, dimsePort, "cycle-1");
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        long started = System.nanoTime();
        Maker dimse = new Maker(template, work.resolve("dimse-" + cycle), true);
        Maker stow = new Maker(template, work.resolve("stow-" + cycle), false);

        Ledger ledger = new Ledger();
        ArchiveProcess target = server;
        List<Thread> dimseClients = new ArrayList<>();
        List<Thread> stowClients = new ArrayList<>();
        for (int n = 0; n < SENDERS; n++) {
          dimseClients.add(new Thread(() -> sendByStorescu(dimse, target, ledger), "storescu-client-" + n));
          stowClients.add(new Thread(() -> sendByStow(stow, target, ledger), "stow-client-" + n));
        }
        dimseClients.forEach(Thread::start);
        stowClients.forEach(Thread::start);
        long delayMs = ThreadLocalRandom.current().nextLong(500, 3001);
        Thread.sleep(delayMs);
        boolean allSending = dimseClients.stream().allMatch(Thread::isAlive) && stowClients.stream()
            .allMatch(Thread::isAlive);
        ledger.killed = true;
        int exit = server.kill();
        for (Thread client : concat(dimseClients, stowClients)) {
          client.join(60_000);
          assertThat(client.isAlive()).as("%s stopped after the kill", client.getName()).isFalse();
        }
        assertThat(allSending).as("all clients were still sending at the kill").isTrue();
        assertThat(exit).as("exit status of the killed server: 128 + SIGKILL").isEqualTo(137);
        assertThat(server.log()).as("the killed server must not have shut down gracefully")
            .doesNotContain("Atrium stopped");
        assertThat(ledger.unexpected).as("client failures before the kill").isEmpty();
        PowerLoss lost = simulatePowerLoss(dataDir.resolve("blobs"));

        server = ArchiveProcess.start(root, config, httpPort, dimsePort, "restart-" + cycle);

        // Through the protocols: what earlier cycles stored survived this crash and recovery too;
        // this cycle's acknowledged instances are whole; those unanswered at the kill whole or absent.
        for (Sent sent : stored) {
          byte[] got = server.retrieve(sent.uids());
          assertThat(got).as("%s instance %s stored in an earlier cycle", kind(sent), sent.uids().sop()).isNotNull();
          assertSameInstance(sent, got);
        }
        Set<Sent> acknowledged = ledger.acknowledged;
        Set<Sent> inFlight = ledger.inFlight();
        for (Sent sent : acknowledged) {
          byte[] got = server.retrieve(sent.uids());
          assertThat(got).as("acknowledged %s instance %s after the kill", kind(sent), sent.uids().sop()).isNotNull();
          assertSameInstance(sent, got);
        }
        int inFlightPresent = 0;
        for (Sent sent : inFlight) {
          byte[] got = server.retrieve(sent.uids());
          if (got == null) continue;
          assertSameInstance(sent, got);
          inFlightPresent++;
          stored.add(sent);
        }
        stored.addAll(acknowledged);
        String recovery = server.log().lines().filter(l -> l.contains("recovery:"))
            .map(l -> l.substring(l.indexOf("recovery:"))).reduce((a, b) -> a + " / " + b).orElse("none");

        // Behind the protocols' backs: the index and the blob store agree, nothing in staging.
        server.stop(); // gracefully: the embedded H2 file is locked while the server runs
        server = null;
        int journalOnly = checkIndexAndBlobs(config, dataDir, stored);

        long dimseAcked = acknowledged.stream().filter(Sent::dimse).count();
        System.out.printf("crash-recovery %s cycle %d: killed after %d ms; acknowledged %d (DIMSE %d, STOW %d); "
                + "sent but unanswered %d (%d present and whole, %d absent); %d instances verified in total; "
                + "as a power loss could: final names dropped %d, staged blobs cut short %d; startup recovery: %s; "
                + "after the stop, %d instance(s) in the journal but not the index file; %d ms%n", database, cycle,
            delayMs, acknowledged.size(), dimseAcked, acknowledged.size() - dimseAcked, inFlight.size(),
            inFlightPresent, inFlight.size() - inFlightPresent, stored.size(), lost.finalNames(), lost.cutShort(), recovery,
            journalOnly, (System.nanoTime() - started) / 1_000_000);
        if (cycle < CYCLES) server = ArchiveProcess.start(root, config, httpPort, dimsePort, "cycle-" + (cycle + 1));
      }
      passed = true;
    } finally {
      if (server != null) server.stop();
      if (passed) TempFiles.delete(root);
      else System.out.println("crash-recovery: kept " + root + " for inspection (server logs in it)");
    }
  }

  // ---- clients ----

  /** storescu, a few files per association; a file is acknowledged when its Success response is logged. */
  private static void sendByStorescu(Maker files, ArchiveProcess server, Ledger ledger) {
    try {
      while (!ledger.killed) {
        List<Sent> batch = files.next(STORESCU_BATCH);
        Map<String, Sent> byPath = new HashMap<>();
        for (Sent sent : batch) byPath.put(sent.file().toString(), sent);
        ledger.attempted.addAll(batch);
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-aec", "ATRIUM", "127.0.0.1",
            String.valueOf(server.dimsePort)));
        for (Sent sent : batch) command.add(sent.file().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("TCP_NODELAY", "1"); // dcmtk 3.6.7 leaves Nagle on otherwise
        Process storescu = builder.start();
        List<String> log = new ArrayList<>();
        Sent current = null;
        int acked = 0;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(storescu.getErrorStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = err.readLine()) != null; ) { // dcmtk logs to stderr
            log.add(line);
            if (line.startsWith("I: Sending file: ")) {
              current = byPath.get(line.substring("I: Sending file: ".length()));
            } else if (line.startsWith("I: Received Store Response (Success)") && current != null) {
              ledger.acknowledged.add(current);
              acked++;
              current = null;
            }
          }
        }
        if (!storescu.waitFor(60, TimeUnit.SECONDS)) {
          storescu.destroyForcibly();
          ledger.unexpected.add("storescu did not finish");
          return;
        }
        if (acked < batch.size() && !ledger.killed) {
          ledger.unexpected.add("storescu before the kill: " + String.join("\n", log));
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      ledger.unexpected.add("storescu client: " + e);
    }
  }

  /** STOW-RS of 1–5 instances per request; acknowledged = listed in ReferencedSOPSequence of a 200/202. */
  private static void sendByStow(Maker files, ArchiveProcess server, Ledger ledger) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    while (!ledger.killed) {
      try {
        List<Sent> batch = files.next(ThreadLocalRandom.current().nextInt(1, 6));
        Map<String, Sent> bySop = new HashMap<>();
        for (Sent sent : batch) bySop.put(sent.uids().sop(), sent);
        byte[] body = Multipart.body(batch.stream().map(Sent::file).toArray(Path[]::new));
        ledger.attempted.addAll(batch);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create(server.dicomWeb() + "/studies")).timeout(Duration.ofSeconds(60))
            .header("Content-Type", Multipart.CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());
        int acked = 0;
        if (response.statusCode() == 200 || response.statusCode() == 202) {
          for (JsonNode item : JSON.readTree(response.body()).path("00081199").path("Value")) {
            Sent sent = bySop.get(item.path("00081155").path("Value").path(0).asText());
            if (sent != null) {
              ledger.acknowledged.add(sent);
              acked++;
            }
          }
        }
        if (acked < batch.size()) {
          ledger.unexpected.add("STOW answered " + response.statusCode() + ": " + response.body());
        }
      } catch (IOException e) {
        if (!ledger.killed) ledger.unexpected.add("STOW before the kill: " + e);
        return; // the connection died with the server
      } catch (InterruptedException | RuntimeException e) {
        ledger.unexpected.add("STOW client: " + e);
        return;
      }
    }
  }

  // ---- checks ----

  /** STOW stores the file as sent; C-STORE gets Atrium's own File Meta Information before the same data set. */
  private static void assertSameInstance(Sent sent, byte[] got) throws IOException {
    byte[] original = Files.readAllBytes(sent.file());
    if (sent.dimse()) {
      assertThat(Arrays.mismatch(StoreContract.dataSet(got), StoreContract.dataSet(original)))
          .as("first differing data set byte of DIMSE instance %s", sent.uids().sop()).isEqualTo(-1);
    } else {
      assertThat(Arrays.equals(got, original)).as("STOW instance %s byte-identical", sent.uids().sop()).isTrue();
    }
  }

  /**
   * Checks the index, as the next start will have it, against the blob store; returns how many instances only the
   * embedded index's journal held (the index file having lost them), which that start makes again.
   */
  private static int checkIndexAndBlobs(AtriumConfig config, Path dataDir, List<Sent> stored) throws IOException {
    Path blobs = dataDir.resolve("blobs");
    Map<String, String> blobBySop = new HashMap<>();
    List<IndexJournal.Record> journalOnly;
    try (Database index = Database.open(config.db(), dataDir)) {
      for (Record3<String, String, Long> row : index.dsl()
          .select(INSTANCE.SOP_INSTANCE_UID, INSTANCE.BLOB_KEY, INSTANCE.BLOB_SIZE).from(INSTANCE).fetch()) {
        assertBlob(blobs, row.value2(), row.value3(), row.value1());
        blobBySop.put(row.value1(), row.value2());
      }
      journalOnly = IndexJournal.pending(dataDir.resolve("index").resolve("journal"),
          new ChangeFeedIndex(index).lastSequence());
    }
    for (IndexJournal.Record record : journalOnly) {
      assertThat(record).as("journaled after the index file's last change").isInstanceOf(IndexJournal.Stored.class);
      IndexJournal.Stored s = (IndexJournal.Stored) record;
      Path file = assertBlob(blobs, s.blobKey(), s.size(), "journaled at sequence " + s.sequence());
      blobBySop.put(Part10.read(file).sopInstanceUid(), s.blobKey());
    }
    Set<String> storedSops = new HashSet<>();
    for (Sent sent : stored) storedSops.add(sent.uids().sop());
    assertThat(blobBySop.keySet()).as("indexed instances = acknowledged + whole in-flight ones")
        .isEqualTo(storedSops);
    Set<String> files = new HashSet<>();
    try (Stream<Path> walk = Files.walk(blobs)) {
      walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(blobs.resolve(".staging")))
          .forEach(p -> files.add(p.getFileName().toString()));
    }
    Set<String> metadata = new HashSet<>();
    files.removeIf(name -> name.endsWith(".json") && metadata.add(name.substring(0, name.length() - 5)));
    assertThat(files).as("blob files = blobs the index references (no orphans)")
        .isEqualTo(new HashSet<>(blobBySop.values()));
    assertThat(blobBySop.values()).as("metadata sidecars only beside indexed blobs").containsAll(metadata);
    assertThat(TestArchive.staged(blobs)).as("staging files left behind").isEmpty();
    return journalOnly.size();
  }

  private static Path assertBlob(Path blobs, String key, long size, String instance) throws IOException {
    Path file = blobs.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
    assertThat(file).as("blob of indexed instance %s", instance).isRegularFile();
    assertThat(Files.size(file)).as("size of blob %s", key).isEqualTo(size);
    return file;
  }

  /** What {@link #simulatePowerLoss} took away. */
  private record PowerLoss(int finalNames, int cutShort) {}

  /**
   * What a power loss could add to the kill. A staged blob not yet linked may not have finished its data fsync:
   * its last bytes are zeroed (its size kept), as unwritten blocks read back. A final name (and its metadata
   * sidecar, never synced) whose directory was not yet synced is gone, and so may be the rename that placed the
   * staging entry beside its study. The staging entry itself was synced under its first name before the final name
   * was made. Here every final name with a staging entry is dropped, the worst such a loss can do, and every other
   * such entry gets back a name of the unplaced kind.
   */
  private static PowerLoss simulatePowerLoss(Path blobs) throws IOException {
    int lost = 0;
    int cutShort = 0;
    List<Path> entries = TestArchive.staged(blobs).stream()
        .filter(p -> p.getFileName().toString().matches("[0-9a-f]{32}\\.tmp")).sorted().toList();
    for (int i = 0; i < entries.size(); i++) {
      String key = entries.get(i).getFileName().toString().substring(0, 32);
      Path finalName = blobs.resolve(key.substring(0, 2)).resolve(key.substring(2, 4)).resolve(key);
      if (!Files.exists(finalName) && zeroTail(entries.get(i))) cutShort++;
      Files.deleteIfExists(finalName.resolveSibling(key + ".json"));
      if (Files.deleteIfExists(finalName)) lost++;
      if (i % 2 == 0) {
        String unplaced = (key.startsWith("0000") ? "ffff" : "0000") + key.substring(4);
        Files.move(entries.get(i), entries.get(i).resolveSibling(unplaced + ".tmp"));
      }
    }
    return new PowerLoss(lost, cutShort);
  }

  /** Zeroes the last 512 bytes of a file (all of a shorter one); false for an empty file. */
  private static boolean zeroTail(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (size == 0) return false;
      int n = (int) Math.min(512, size);
      channel.write(ByteBuffer.allocate(n), size - n);
      return true;
    }
  }

  private static List<Thread> concat(List<Thread> a, List<Thread> b) {
    List<Thread> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String kind(Sent sent) {
    return sent.dimse() ? "DIMSE" : "STOW";
  }

  // ---- instances ----

  private static String placeholder(char digit) {
    return "2.25." + String.valueOf(digit).repeat(30);
  }

  /** A fresh UID as long as a placeholder: 2.25. + 30 digits. */
  private static String freshUid() {
    return "2.25." + String.format("%013d%08d%09d", System.currentTimeMillis(), UID_COUNTER.incrementAndGet(),
        ThreadLocalRandom.current().nextInt(1_000_000_000));
  }

  /**
   * Makes instances as the clients ask for them, so they never run out before the kill whatever
   * the machine's speed: copies of the template with fresh UIDs of equal length (same encoding, no
   * re-serialisation, so each copy is exactly what is sent), 50 instances a study, 10 a series.
   */
  static final class Maker {
    private final byte[] template;
    private final Path dir;
    private final boolean dimse;
    private int made;
    private Uids previous;

    Maker(byte[] template, Path dir, boolean dimse) throws IOException {
      this.template = template;
      this.dir = Files.createDirectories(dir);
      this.dimse = dimse;
    }

    synchronized List<Sent> next(int count) throws IOException {
      List<Sent> batch = new ArrayList<>();
      for (int i = 0; i < count; i++, made++) {
        String study = made % 50 == 0 ? freshUid() : previous.study();
        Uids uids = new Uids(study, made % 10 == 0 ? freshUid() : previous.series(), freshUid());
        byte[] bytes = replace(template, PLACEHOLDER.study(), uids.study());
        bytes = replace(bytes, PLACEHOLDER.series(), uids.series());
        bytes = replace(bytes, PLACEHOLDER.sop(), uids.sop());
        Path file = dir.resolve(made + ".dcm");
        Files.write(file, bytes);
        batch.add(new Sent(uids, file, dimse));
        previous = uids;
      }
      return batch;
    }
  }

  private static byte[] replace(byte[] data, String from, String to) {
    if (to.length() != from.length()) throw new IllegalArgumentException(to + " is not as long as " + from);
    byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
    byte[] out = data.clone();
    int found = 0;
    for (int i = 0; i + needle.length <= out.length; i++) {
      if (Arrays.equals(out, i, i + needle.length, needle, 0, needle.length)) {
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, out, i, needle.length);
        found++;
      }
    }
    if (found == 0) throw new IllegalStateException("template lacks UID " + from);
    return out;
  }
}
