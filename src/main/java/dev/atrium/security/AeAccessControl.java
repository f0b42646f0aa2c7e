package dev.atrium.security;

import dev.atrium.config.AtriumConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Which remote AEs may associate, from where, for which DIMSE services (PS3.15 has no more to
 * say than "authenticate the peer"; this is the AE-title-and-address check every PACS does).
 * With no known AEs configured, everyone may do everything (the open default on loopback).
 */
public final class AeAccessControl {
  private final Map<String, AtriumConfig.KnownAe> known;

  public AeAccessControl(Map<String, AtriumConfig.KnownAe> known) {
    this.known = Map.copyOf(known);
  }

  public boolean open() {
    return known.isEmpty();
  }

  /** May this calling AE associate from this address? */
  public boolean admits(String callingAeTitle, InetAddress from) {
    if (open()) return true;
    AtriumConfig.KnownAe ae = known.get(callingAeTitle);
    if (ae == null) return false;
    if (ae.hosts().isEmpty()) return true;
    for (String host : ae.hosts()) {
      if (matches(host, from)) return true;
    }
    return false;
  }

  /**
   * Must this calling AE prove its title with a DICOM TLS client certificate? Then a plain association, or a TLS one
   * without a certificate (tlsClientAuth want), may not use it.
   */
  public boolean needsCertificate(String callingAeTitle) {
    AtriumConfig.KnownAe ae = known.get(callingAeTitle);
    return ae != null && ae.certified();
  }

  /** May this calling AE use the service ("echo", "store", "find", "move", "get")? */
  public boolean allows(String callingAeTitle, String service) {
    if (open()) return true;
    AtriumConfig.KnownAe ae = known.get(callingAeTitle);
    return ae != null && (ae.services().isEmpty() || ae.services().contains(service));
  }

  /** An address, a host name (resolved now), or a CIDR block such as 10.1.20.0/24 or fd00::/8. */
  static boolean matches(String pattern, InetAddress address) {
    try {
      int slash = pattern.indexOf('/');
      if (slash < 0) {
        for (InetAddress candidate : InetAddress.getAllByName(pattern)) {
          if (candidate.equals(address)) return true;
        }
        return false;
      }
      byte[] network = InetAddress.getByName(pattern.substring(0, slash)).getAddress();
      byte[] actual = address.getAddress();
      int bits = Integer.parseInt(pattern.substring(slash + 1));
      if (network.length != actual.length || bits < 0 || bits > network.length * 8) return false;
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((network[i / 8] & mask) != (actual[i / 8] & mask)) return false;
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }
}
