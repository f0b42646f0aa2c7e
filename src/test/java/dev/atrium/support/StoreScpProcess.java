package dev.atrium.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** dcmtk's storescp as a C-MOVE destination: receives bit-preserving into its own directory. */
public final class StoreScpProcess implements AutoCloseable {
  public final String aeTitle;
  public final int port;
  public final Path directory;
  private Process process;

  /** Picks a free port now (the archive's configuration needs it before storescp starts). */
  public StoreScpProcess(String aeTitle, Path directory) throws IOException {
    this.aeTitle = aeTitle;
    this.port = freePort();
    this.directory = directory;
  }

  public static int freePort() throws IOException {
    return FreePorts.forLaterBind();
  }

  /** {@code options}: which transfer syntaxes to accept, e.g. "+xa" (all), none (uncompressed only). */
  public void start(String... options) throws Exception {
    Files.createDirectories(directory);
    List<String> command = new ArrayList<>(List.of("storescp", "-aet", aeTitle, "+B", "-od", directory.toString()));
    command.addAll(List.of(options));
    command.add(String.valueOf(port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolveSibling(aeTitle + ".log").toFile());
    builder.environment().put("TCP_NODELAY", "1");
    process = builder.start();
    for (int attempt = 0; attempt < 100; attempt++) {
      if (!process.isAlive()) throw new IllegalStateException("storescp " + aeTitle + " exited");
      if (Dcmtk.run(10, "echoscu", "-aec", aeTitle, "127.0.0.1", String.valueOf(port)).exitCode() == 0) return;
      Thread.sleep(100);
    }
    throw new IllegalStateException("storescp " + aeTitle + " does not answer C-ECHO");
  }

  /** The files received so far. */
  public List<Path> received() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  public void clear() throws IOException {
    for (Path file : received()) Files.delete(file);
  }

  @Override
  public void close() {
    if (process != null) process.destroy();
  }
}
