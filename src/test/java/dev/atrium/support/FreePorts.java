package dev.atrium.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for peers that bind them later (storescp, Orthanc, an archive restarted): free now, and outside the kernel's
 * ephemeral range. A port from {@code bind(0)} lies in that range, where any outgoing connection made meanwhile may
 * take it: Orthanc once found its DICOM port, chosen before the archive that connects out started, in use.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;

  private FreePorts() {}

  public static int forLaterBind() throws IOException {
    int[] ephemeral = ephemeralRange();
    int below = ephemeral[0] - LOWEST;
    int above = 65_535 - ephemeral[1];
    for (int attempt = 0; attempt < 200 && below + above > 0; attempt++) {
      int pick = ThreadLocalRandom.current().nextInt(below + above);
      int port = pick < below ? LOWEST + pick : ephemeral[1] + 1 + pick - below;
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException taken) {
        // another test's peer: try another
      }
    }
    try (ServerSocket any = new ServerSocket(0)) {
      return any.getLocalPort();
    }
  }

  /** {@code /proc/sys/net/ipv4/ip_local_port_range}, or Linux's default. */
  private static int[] ephemeralRange() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return new int[] {Math.max(LOWEST, Integer.parseInt(range[0])), Integer.parseInt(range[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {32_768, 60_999};
    }
  }
}
