package dev.atrium.support;

import dev.atrium.dimse.net.CommandSet;
import java.io.IOException;
import java.util.List;

/**
 * A minimal C-FIND SCU on a raw socket (implicit VR little endian) that can send its C-CANCEL-RQ
 * in the same write as the request, so "cancelled before the first match" does not depend on
 * timing (findscu --cancel only cancels after a response, which a fast SCP may outrun).
 */
public final class RawFindScu {
  private RawFindScu() {}

  /** Statuses of every response received, in order (the last is the final one). */
  public static List<Integer> find(int port, String calledAe, String sopClass, byte[] identifier, boolean cancel)
      throws IOException {
    try (RawDimseScu scu = RawDimseScu.open(port, calledAe, sopClass)) {
      scu.send(RawDimseScu.request(CommandSet.C_FIND_RQ, sopClass), identifier, cancel);
      return scu.untilFinal().stream().map(RawDimseScu.Response::status).toList();
    }
  }
}
