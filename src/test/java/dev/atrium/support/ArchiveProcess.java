package dev.atrium.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.TestInstances.Uids;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The archive as a process of its own ({@link MainProcess}), which a test can kill. */
public final class ArchiveProcess {
  public final Process process;
  public final Path logFile;
  public final int httpPort;
  public final int dimsePort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ArchiveProcess(Process process, Path logFile, int httpPort, int dimsePort) {
    this.process = process;
    this.logFile = logFile;
    this.httpPort = httpPort;
    this.dimsePort = dimsePort;
  }

  /** java dev.atrium.Main on the given data, database and ports; returns when /health answers 200. */
  public static ArchiveProcess start(Path root, AtriumConfig config, int httpPort, int dimsePort, String name)
      throws Exception {
    return start(root, config, httpPort, dimsePort, name, Map.of());
  }

  /** As above, with more ATRIUM_* variables (such as ATRIUM_MOVE_DESTINATIONS). */
  public static ArchiveProcess start(Path root, AtriumConfig config, int httpPort, int dimsePort, String name,
      Map<String, String> moreEnvironment) throws Exception {
    Path logFile = root.resolve("server-" + name + ".log");
    Map<String, String> env = new HashMap<>(moreEnvironment);
    env.put("ATRIUM_DATA_DIR", config.dataDir().toString());
    env.put("ATRIUM_HTTP_PORT", String.valueOf(httpPort));
    env.put("ATRIUM_DIMSE_PORT", String.valueOf(dimsePort));
    if (!config.db().embedded()) {
      env.put("ATRIUM_DB_URL", config.db().url());
      env.put("ATRIUM_DB_USER", config.db().user());
      env.put("ATRIUM_DB_PASSWORD", config.db().password());
    }
    ArchiveProcess server = new ArchiveProcess(MainProcess.start(env, "512m", logFile), logFile, httpPort, dimsePort);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!server.process.isAlive()) {
        throw new AssertionError("the server exited with " + server.process.exitValue() + ":\n" + server.log());
      }
      try {
        HttpResponse<Void> health = server.http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/health")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) return server;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        server.process.destroyForcibly();
        throw new AssertionError("the server did not become healthy in 60 s:\n" + server.log());
      }
      Thread.sleep(100);
    }
  }

  public String dicomWeb() {
    return "http://127.0.0.1:" + httpPort + "/dicom-web";
  }

  /** The instance as application/dicom, or null when the archive answers 404. */
  public byte[] retrieve(Uids uids) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(dicomWeb() + "/studies/"
            + uids.study() + "/series/" + uids.series() + "/instances/" + uids.sop()))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/dicom").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) return null;
    assertThat(response.statusCode()).as("retrieve %s", uids.sop()).isEqualTo(200);
    return response.body();
  }

  /** SIGKILL: no shutdown hook, no close, nothing flushed. Returns the exit status. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed server exited").isTrue();
    return process.exitValue();
  }

  /** A graceful stop (SIGTERM runs the shutdown hook). */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
