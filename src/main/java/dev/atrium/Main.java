package dev.atrium;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigException;
import dev.atrium.config.ConfigLoader;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Starts Atrium from conf/atrium.yaml and ATRIUM_* environment overrides. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    // PixelMed logs through java.util.logging: route it into logback.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    AtriumConfig config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (ConfigException | IOException e) { // a bad value, an unreadable or malformed file
      System.err.println("atrium: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Atrium atrium;
    try {
      atrium = Atrium.start(config);
    } catch (ConfigException e) { // found while starting: a TLS key, say
      System.err.println("atrium: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception | Error e) {
      // One line for the operator (the log has the stack); a non-zero exit so a supervisor restarts or alerts,
      // rather than a process left half started (a DIMSE port in use once left HTTP serving, and the JVM up).
      LoggerFactory.getLogger(Main.class).error("cannot start", e);
      System.err.println("atrium: cannot start: " + StartupFailure.describe(e));
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        atrium.close();
      } catch (Exception e) {
        e.printStackTrace();
      } finally {
        stopped.countDown();
      }
    }, "shutdown"));
    stopped.await();
  }
}
