package dev.atrium.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** `java dev.atrium.Main` in a process of its own, as scripts/run starts it, on this test's class path. */
public final class MainProcess {
  private MainProcess() {}

  /**
   * Started in the project root (so it reads conf/atrium.yaml) with only the given ATRIUM_* variables, its output
   * and errors going to {@code log}.
   */
  public static Process start(Map<String, String> atriumEnvironment, String heap, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "dev.atrium.Main")
        .directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("ATRIUM_"));
    builder.environment().putAll(atriumEnvironment);
    return builder.start();
  }
}
