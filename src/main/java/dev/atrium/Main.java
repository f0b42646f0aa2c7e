package dev.atrium;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigException;
import dev.atrium.config.ConfigLoader;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts Atrium from conf/atrium.yaml and ATRIUM_* environment overrides, and starts it again when its embedded
 * index closed itself after a failed write (a full disk): H2 then refuses every statement until it is reopened, so
 * the archive stayed up answering 500s after the space was back. A new start reopens it, and its journal brings
 * back every instance acknowledged before.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final long CHECK_SECONDS = 5;

  private final AtriumConfig config;
  private Atrium running; // guarded by this
  private boolean stopping; // guarded by this

  private Main(AtriumConfig config, Atrium started) {
    this.config = config;
    this.running = started;
  }

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
      log.error("cannot start", e);
      System.err.println("atrium: cannot start: " + StartupFailure.describe(e));
      System.exit(1);
      return;
    }
    Main main = new Main(config, atrium);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      main.stop();
      stopped.countDown();
    }, "shutdown"));
    while (!stopped.await(CHECK_SECONDS, TimeUnit.SECONDS)) main.keepRunning();
  }

  /** Every few seconds: a lost index gets the archive closed and started again, until a start succeeds. */
  private synchronized void keepRunning() {
    if (stopping) return;
    if (running != null && running.indexLost()) {
      log.error("the embedded index closed itself after a failed write (is the disk full?): restarting the archive");
      closeQuietly(running);
      running = null;
    }
    if (running == null) {
      try {
        running = Atrium.start(config);
        log.warn("the archive started again; its journal restored what the index had lost");
      } catch (Exception | Error e) {
        log.error("the archive could not start again ({}); next attempt in {} s", StartupFailure.describe(e),
            CHECK_SECONDS);
      }
    }
  }

  private synchronized void stop() {
    stopping = true;
    if (running != null) closeQuietly(running);
    running = null;
  }

  private static void closeQuietly(Atrium atrium) {
    try {
      atrium.close();
    } catch (Exception e) {
      log.warn("while stopping the archive: {}", e.toString());
    }
  }
}
