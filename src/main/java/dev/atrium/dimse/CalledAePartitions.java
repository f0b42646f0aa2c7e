package dev.atrium.dimse;

import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.partition.Partitions;
import java.util.Map;

/**
 * Which data partition an association works in: the one its called AE title serves
 * ({@code dimse.calledAePartitions}), or the default partition for the archive's own AE title.
 */
final class CalledAePartitions {
  private final Map<String, String> byCalledAe;

  CalledAePartitions(Map<String, String> calledAePartitions) {
    calledAePartitions.values().forEach(Partitions::require);
    this.byCalledAe = Map.copyOf(calledAePartitions);
  }

  boolean serves(String calledAeTitle) {
    return byCalledAe.containsKey(calledAeTitle);
  }

  String of(AssociationInfo association) {
    return byCalledAe.getOrDefault(association.calledAeTitle(), Partitions.DEFAULT);
  }

  String of(DimseExchange exchange) {
    return of(exchange.association());
  }
}
