package dev.atrium.dimse;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.AtriumConfig.RemoteAe;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.ClientAssociation;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-MOVE SCP (PS3.4 C.4.2): the destination AE comes from the configuration (an unknown one is refused with
 * A801); one new association to it carries every C-STORE sub-operation of the move, and is released at the end.
 */
final class MoveScp extends RetrieveScp {
  private static final Logger log = LoggerFactory.getLogger(MoveScp.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final Map<String, RemoteAe> destinations;
  private final String aeTitle;
  private final int maxPduLength;
  private final int readTimeoutMillis;

  MoveScp(RetrieveService retrieve, CalledAePartitions partitions, DimseAudit audit, DimseCounts counts,
      AtriumConfig config) {
    super(retrieve, partitions, audit, counts);
    this.destinations = config.moveDestinations();
    this.aeTitle = config.aeTitle();
    this.maxPduLength = config.dimse().maxPduLength();
    this.readTimeoutMillis = config.dimse().idleTimeoutSeconds() * 1000;
  }

  static boolean isMove(String sopClassUid) {
    return SopClasses.PATIENT_ROOT_MOVE.equals(sopClassUid) || SopClasses.STUDY_ROOT_MOVE.equals(sopClassUid);
  }

  @Override
  void refuseEarly(CommandSet request) throws Refusal {
    String destination = request.getString(CommandSet.MOVE_DESTINATION);
    if (destination == null || !destinations.containsKey(destination)) {
      throw new Refusal(RetrieveCounts.STATUS_MOVE_DESTINATION_UNKNOWN, "move destination '"
          + (destination == null ? "" : destination) + "' is not configured", 0);
    }
  }

  @Override
  String destination(DimseExchange exchange, CommandSet request) {
    return "to " + request.getString(CommandSet.MOVE_DESTINATION);
  }

  @Override
  Finish retrieve(DimseExchange exchange, CommandSet request, List<StoredInstance> instances) throws IOException {
    RemoteAe destination = destinations.get(request.getString(CommandSet.MOVE_DESTINATION));
    ClientAssociation association;
    try {
      association = ClientAssociation.open(new ClientAssociation.Settings(aeTitle, destination.aeTitle(),
          destination.host(), destination.port(), maxPduLength, CONNECT_TIMEOUT_MILLIS, readTimeoutMillis),
          MoveContexts.propose(instances));
    } catch (IOException e) {
      log.warn("C-MOVE to {} at {}:{}: cannot associate: {}", destination.aeTitle(), destination.host(),
          destination.port(), e.toString());
      RetrieveCounts counts = new RetrieveCounts(instances.size());
      instances.forEach(i -> counts.failed(i.sopInstanceUid()));
      return new Finish(counts, false, "cannot associate with " + destination.aeTitle() + ": " + e.getMessage());
    }
    try (association) {
      SubOperations.Outcome outcome = subOperations.run(instances, association,
          new SubOperations.MoveOriginator(exchange.association().callingAeTitle(), request.messageId()), exchange,
          request);
      if (outcome.destinationFailure() != null) {
        log.warn("C-MOVE to {}: association failed: {}", destination.aeTitle(),
            outcome.destinationFailure().toString());
        return new Finish(outcome.counts(), outcome.cancelled(), destination.aeTitle() + " association failed: "
            + outcome.destinationFailure().getMessage());
      }
      releaseQuietly(association, destination);
      return new Finish(outcome.counts(), outcome.cancelled(), null);
    }
  }

  /** Every sub-operation has its answer: a failed release changes nothing for the move. */
  private static void releaseQuietly(ClientAssociation association, RemoteAe destination) {
    try {
      association.release();
    } catch (IOException e) {
      log.info("C-MOVE to {}: release failed: {}", destination.aeTitle(), e.toString());
    }
  }
}
