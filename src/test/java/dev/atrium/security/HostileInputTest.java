package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue #6, hostile input: each attack gets its answer (or the connection is cut), and after each
 * the archive serves the next honest request. Limits are set low here so the attacks stay small.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final long MAX_BODY = 1 << 20;
  private static final int MAX_ASSOCIATIONS = 2;

  private Path dataDir;
  private Path work;
  private TestArchive archive;
  private TestInstances.Uids stored;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-hostile");
    work = Files.createTempDirectory("atrium-hostile-work");
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> {
      AtriumConfig.Dimse d = config.dimse();
      return config.withHttp(config.http().withLimits(8192, MAX_BODY, 2))
          .withDimse(new AtriumConfig.Dimse(d.bindAddress(), d.port(), d.maxPduLength(), MAX_ASSOCIATIONS, 5,
              d.remoteAes(), d.calledAePartitions(), d.tlsPort(), d.tlsClientAuth()));
    });
    stored = TestInstances.fresh();
    assertThat(Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(TestInstances.ct(work, stored))).statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  /** After every attack: an honest QIDO, WADO and C-ECHO still work. */
  @AfterEach
  void honestRequestsStillWork() throws Exception {
    HttpResponse<String> qido = Http.get(archive.dicomWeb() + "/studies?StudyInstanceUID=" + stored.study(), null);
    assertThat(qido.statusCode()).isEqualTo(200);
    assertThat(qido.body()).contains(stored.study());
    assertThat(Dcmtk.run(30, "echoscu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort())).exitCode()).isZero();
  }

  @Test
  void oversizedHeadersGet431() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(archive.dicomWeb() + "/studies"))
        .header("X-Padding", "x".repeat(16_000)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(431);
  }

  @Test
  void bodiesOverTheLimitGet413() throws Exception {
    byte[] big = Multipart.body(List.of(new Multipart.Part("application/dicom", new byte[(int) MAX_BODY + 1])));
    HttpResponse<String> declared = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, big);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("http.maxRequestBytes");
    // Chunked: no length declared, so the limit bites while the body streams in.
    HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(URI.create(archive.dicomWeb() + "/studies"))
        .header("Content-Type", Multipart.CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
  }

  /**
   * A client that waits for "100 Continue" before sending its body is refused at once when the body could not be
   * taken (RFC 9110 10.1.1). The archive used to send "100 Continue" first, inviting a body it then refused.
   */
  @Test
  void aBodyThatCannotBeTakenIsRefusedBeforeTheClientIsInvitedToSendIt() throws Exception {
    assertThat(rawResponse("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
        + "Content-Type: " + Multipart.CONTENT_TYPE + "\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 413 ").contains("http.maxRequestBytes");
    assertThat(rawResponse("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
        + "Content-Type: text/plain\r\nContent-Length: 2000\r\n\r\n")).startsWith("HTTP/1.1 415 ");
  }

  /**
   * Uploads that send nothing more take at most half the HTTP threads: queries and /health are still served, and a
   * further upload is told to come back (503) at once, its body not waited for. More such clients than threads used
   * to make the whole HTTP service hang.
   */
  @Test
  void stalledUploadsCannotTakeEveryThread() throws Exception {
    int maxThreads = archive.config.http().maxThreads();
    int port = Integer.parseInt(archive.baseUrl().replaceAll(".*:", ""));
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < maxThreads + 6; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        stalled.add(socket);
        socket.getOutputStream().write(("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            + Multipart.CONTENT_TYPE + "\r\nContent-Length: 100000\r\n\r\n--" + Multipart.BOUNDARY + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
      }
      Thread.sleep(500); // each is being read, or was refused
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(archive.baseUrl() + "/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("served while uploads stall").isEqualTo(200);
      // Waiting for "100 Continue", as a client of a large body does: one already sending its body can see the
      // connection reset (the archive closes it without reading the body) before it reads the 503.
      String another = rawResponse("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
          + "Content-Type: " + Multipart.CONTENT_TYPE + "\r\nContent-Length: 40000\r\n\r\n");
      assertThat(another).startsWith("HTTP/1.1 503 ").contains("retry");
      // One that sends its body at once gets the 503 too, not a reset connection: the body is read after the answer.
      // (Chunked, so that its length is not refused first, and larger than the sockets' buffers hold.)
      try (Socket eager = new Socket("127.0.0.1", port)) {
        eager.setSoTimeout(20_000);
        OutputStream out = eager.getOutputStream();
        out.write(("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + Multipart.CONTENT_TYPE
            + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 256; i++) {
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        assertThat(new String(eager.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
            .startsWith("HTTP/1.1 503 ").contains("retry");
      }
    } finally {
      for (Socket socket : stalled) socket.close();
    }
  }

  @Test
  void aMethodTheResourceDoesNotHaveGets405NamingThoseItHas() throws Exception {
    HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(URI.create(archive.dicomWeb() + "/studies"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, PUT"); // RFC 9110 15.5.6
  }

  /** A body that stops arriving gets 408 once, after the idle timeout, naming the setting, not a Java exception. */
  @Test
  void aStalledBodyGets408() throws Exception {
    String response = rawResponse("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + Multipart.CONTENT_TYPE + "\r\nContent-Length: 2000\r\n\r\n--" + Multipart.BOUNDARY
        + "\r\nContent-Type: application/dicom\r\n\r\n" + "\0".repeat(100));
    assertThat(response).startsWith("HTTP/1.1 408 ").contains("http.idleTimeoutSeconds").doesNotContain("java.");
  }

  /** Sends {@code request} as it is and returns the first answer, without sending anything more. */
  private String rawResponse(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(archive.baseUrl().replaceAll(".*:", "")))) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] answer = new byte[4096];
      int n = socket.getInputStream().read(answer);
      return n < 0 ? "" : new String(answer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void slowClientsAreCutOff() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", Integer.parseInt(archive.baseUrl().replaceAll(".*:", "")))) {
      slow.setSoTimeout(20_000);
      OutputStream out = slow.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII)); // never finished
      out.flush();
      long started = System.nanoTime();
      InputStream in = slow.getInputStream();
      byte[] rest = in.readAllBytes(); // returns when the archive closes the connection
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the idle connection was closed by the archive")
          .isLessThan(Duration.ofSeconds(15));
      assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
    }
  }

  @Test
  void queryParametersBuiltToInjectSqlAreJustValuesOrRefused() throws Exception {
    for (String attack : List.of("PatientName=" + enc("x' OR '1'='1"), "PatientID=" + enc("1; DROP TABLE study; --"),
        "StudyDescription=" + enc("' UNION SELECT * FROM instance --"))) {
      HttpResponse<String> response = Http.get(archive.dicomWeb() + "/studies?" + attack, null);
      assertThat(response.statusCode()).as(attack).isIn(200, 204);
      assertThat(response.body()).as("%s matched nothing", attack).doesNotContain(stored.study());
    }
    for (String attack : List.of("StudyDate=" + enc("20200101' OR 1=1 --"), "includefield=" + enc("PatientName) FROM"),
        enc("00100010) OR (1") + "=1", "limit=" + enc("1; DELETE FROM study"))) {
      assertThat(Http.get(archive.dicomWeb() + "/studies?" + attack, null).statusCode()).as(attack).isEqualTo(400);
    }
  }

  @Test
  void uidsBuiltToEscapeTheStoreAreRefused() throws Exception {
    for (String uid : List.of("..%2F..%2F..%2Fetc%2Fpasswd", "1.2.3%00", "1.2.3;DROP", "%2E%2E", "1.2.3%2F..%2F4")) {
      HttpResponse<String> response = Http.get(archive.dicomWeb() + "/studies/" + uid, null);
      assertThat(response.statusCode()).as(uid).isEqualTo(400);
      // Whether the router refused it or Jetty did (an ambiguous path), the answer is the usual JSON.
      assertThat(response.headers().firstValue("Content-Type")).as(uid).hasValue("application/json");
      assertThat(response.body()).as(uid).startsWith("{\"status\":400,\"message\":");
      int stowStatus;
      try {
        stowStatus = Http.post(archive.dicomWeb() + "/studies/" + uid, Multipart.CONTENT_TYPE,
            Multipart.body(TestInstances.ct(work, TestInstances.fresh()))).statusCode();
      } catch (java.io.IOException closed) {
        // Jetty refuses some of these request lines itself (400) and closes at once; a client still
        // uploading the body may see the close before the answer. Refused either way.
        stowStatus = 400;
      }
      assertThat(stowStatus).as("STOW to %s", uid).isEqualTo(400);
    }
    try (var files = Files.walk(dataDir)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("passwd"))).isEmpty();
    }
  }

  @Test
  void pdusWithLengthsThatLieAreAborted() throws Exception {
    for (byte[] attack : List.of(
        pdu(0x01, 0x7FFF_FFF0, new byte[64]), // A-ASSOCIATE-RQ claiming 2 GiB
        pdu(0x04, 100, new byte[8]), // P-DATA before any association, and truncated
        pdu(0x01, 4, new byte[4]), // an A-ASSOCIATE-RQ too short to hold its fixed fields
        pdu(0x7F, 10, new byte[10]))) { // a PDU type that does not exist
      try (Socket socket = new Socket("127.0.0.1", archive.dimsePort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(attack);
        socket.getOutputStream().flush();
        byte[] answer = socket.getInputStream().readAllBytes(); // an A-ABORT or A-ASSOCIATE-RJ, then close
        assertThat(answer.length == 0 || answer[0] == 0x07 || answer[0] == 0x03)
            .as("answered by an abort or rejection (or closed), got type %s", answer.length == 0 ? "none" : answer[0])
            .isTrue();
      }
    }
  }

  @Test
  void associationsBeyondTheLimitAreRejectedWithAReason() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_ASSOCIATIONS; i++) held.add(new Socket("127.0.0.1", archive.dimsePort()));
      Thread.sleep(200); // the acceptor takes them
      Dcmtk.Result echo = Dcmtk.run(30, "echoscu", "-v", "-aec", archive.aeTitle(), "127.0.0.1",
          String.valueOf(archive.dimsePort()));
      assertThat(echo.exitCode()).isNotZero();
      assertThat(echo.output()).contains("Association Rejected").contains("Local Limit Exceeded");
    } finally {
      for (Socket socket : held) socket.close();
    }
    Thread.sleep(200); // the slots come back when the server sees the closes
  }

  private static byte[] pdu(int type, int length, byte[] body) {
    byte[] pdu = new byte[6 + body.length];
    pdu[0] = (byte) type;
    pdu[2] = (byte) (length >>> 24);
    pdu[3] = (byte) (length >>> 16);
    pdu[4] = (byte) (length >>> 8);
    pdu[5] = (byte) length;
    System.arraycopy(body, 0, pdu, 6, body.length);
    return pdu;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
