package dev.atrium.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private Orthanc (Debian package orthanc) as a DICOM peer: its own ports, data directory and configuration,
 * driven through its REST API. Stopped and removed on close.
 */
public final class OrthancProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public final String aeTitle;
  public final int dicomPort;
  private final int httpPort;
  private final Path directory;
  private Process process;

  /** Picks its ports now (the archive's configuration needs the DICOM one before Orthanc starts). */
  public OrthancProcess(String aeTitle, Path directory) throws Exception {
    this.aeTitle = aeTitle;
    this.dicomPort = StoreScpProcess.freePort();
    this.httpPort = StoreScpProcess.freePort();
    this.directory = directory;
  }

  /** Starts it knowing one modality: {@code name} is the AE {@code peerAeTitle} at 127.0.0.1:{@code peerPort}. */
  public void start(String name, String peerAeTitle, int peerPort) throws Exception {
    Files.createDirectories(directory.resolve("db"));
    var config = JSON.createObjectNode()
        .put("Name", "atrium-test-peer")
        .put("StorageDirectory", directory.resolve("db").toString())
        .put("IndexDirectory", directory.resolve("db").toString())
        .put("DicomAet", aeTitle).put("DicomPort", dicomPort).put("HttpPort", httpPort)
        .put("RemoteAccessAllowed", false).put("AuthenticationEnabled", false);
    config.putArray("Plugins");
    config.putObject("DicomModalities").putArray(name).add(peerAeTitle).add("127.0.0.1").add(peerPort);
    Path file = directory.resolve("orthanc.json");
    JSON.writeValue(file.toFile(), config);
    process = new ProcessBuilder("Orthanc", file.toString()).redirectErrorStream(true)
        .redirectOutput(directory.resolve("orthanc.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      if (!process.isAlive()) break;
      try {
        if (get("/system").has("ApiVersion")) return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("Orthanc did not start: " + Files.readString(directory.resolve("orthanc.log")));
  }

  public JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  public JsonNode post(String path, Object body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }
}
