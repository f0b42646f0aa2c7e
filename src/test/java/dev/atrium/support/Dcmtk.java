package dev.atrium.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk's command-line tools (the real peers of the DIMSE tests). */
public final class Dcmtk {
  private Dcmtk() {}

  public record Result(int exitCode, String output) {}

  public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
    return run(timeoutSeconds, List.of(command));
  }

  public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    builder.environment().put("TCP_NODELAY", "1"); // dcmtk 3.6.7 leaves Nagle on otherwise
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
