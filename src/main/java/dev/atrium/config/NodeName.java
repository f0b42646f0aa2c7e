package dev.atrium.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * The name a process gives itself in leases it holds in a shared index (nodes on one MariaDB): its host, for a reader
 * of the table, and a random part, so that two processes on one host, or a process and its own restart, never pass
 * for each other.
 */
public final class NodeName {
  private NodeName() {}

  public static String unique() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "atrium";
    }
    return host + "/" + UUID.randomUUID();
  }
}
