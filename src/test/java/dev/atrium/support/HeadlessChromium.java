package dev.atrium.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, on a fresh profile: the browser a web viewer's page runs in, with its CORS checks,
 * its JavaScript, WebAssembly and (software) WebGL. Flags as this machine needs them: no sandbox (root), no GPU, and
 * none of the background connections a closed network refuses.
 */
public final class HeadlessChromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** The DOM of {@code url} once its scripts have run (virtual time: timers and network, not CPU-bound work). */
  public static String dumpDom(Path work, String url) throws Exception {
    Path out = Files.createTempFile(work, "dom", ".html");
    Process chromium = start(work, out, List.of("--virtual-time-budget=30000", "--dump-dom", url));
    if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
      chromium.destroyForcibly().waitFor();
      throw new IOException("Chromium did not finish in 120 s");
    }
    return Files.readString(out);
  }

  /** Chromium showing {@code url} in a window of the given size until the caller destroys it. */
  public static Process open(Path work, String url, int width, int height) throws Exception {
    return start(work, Files.createTempFile(work, "chromium", ".out"),
        List.of("--window-size=" + width + "," + height, url));
  }

  /** Answers a request of the browser to a test's page server (JDK HttpServer): 200 with this body. */
  public static void respond(HttpExchange exchange, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Process start(Path work, Path out, List<String> action) throws IOException {
    assertThat(BINARY).as("Chromium (Debian package chromium, which scripts/bootstrap test installs)").isExecutable();
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile));
    command.addAll(action);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
    // Its singleton socket directory (org.chromium.Chromium.*) goes to TMPDIR: the test's work directory, removed
    // with it, rather than /tmp, where each run left one per browser.
    builder.environment().put("TMPDIR", work.toString());
    return builder.start();
  }
}
