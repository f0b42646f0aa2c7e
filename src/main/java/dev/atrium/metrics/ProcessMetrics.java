package dev.atrium.metrics;

import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;

/** Gauges of the process and its disk: what to alert on before stores are refused or the heap runs out. */
public final class ProcessMetrics {
  private ProcessMetrics() {}

  public static void register(Metrics metrics, BlobStore blobs) {
    metrics.gauge("atrium_store_free_bytes", "Free space on the object store's disk (stores are refused below "
        + "store.minFreeSpaceBytes)", () -> {
          try {
            return blobs.usableSpace();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    metrics.gauge("atrium_jvm_heap_used_bytes", "Java heap in use",
        () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    metrics.gauge("atrium_jvm_heap_max_bytes", "Java heap the JVM may grow to",
        () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
    metrics.gauge("atrium_start_time_seconds", "When the archive's process started, in seconds since the epoch",
        () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
  }
}
