package dev.atrium;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigException;
import dev.atrium.config.ConfigLoader;
import java.util.concurrent.CountDownLatch;
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
    } catch (ConfigException e) {
      System.err.println("atrium: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Atrium atrium = Atrium.start(config);
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
