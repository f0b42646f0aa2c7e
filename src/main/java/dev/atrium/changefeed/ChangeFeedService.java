package dev.atrium.changefeed;

import dev.atrium.index.ChangeFeedIndex;
import java.util.List;

/**
 * The ordered, immutable record of changes. Sequence order is commit order (the storing
 * transaction takes the sequence from a locked counter last), so a reader that remembers the last
 * sequence it saw never misses an entry.
 */
public final class ChangeFeedService {
  private final ChangeFeedIndex index;

  public ChangeFeedService(ChangeFeedIndex index) {
    this.index = index;
  }

  /** The changes of a partition, or of every partition when it is null. */
  public List<ChangeFeedIndex.Row> read(String partitionOrNull, ChangeFeedRequest request) {
    return index.page(partitionOrNull, request.afterSequence(), request.start(), request.end(), request.skip(),
        request.limit());
  }

  /** The newest change of a partition, or of any when it is null. */
  public List<ChangeFeedIndex.Row> latest(String partitionOrNull) {
    return index.latest(partitionOrNull);
  }

  /** The changes of all partitions after {@code afterSequence}, for readers of the whole archive (FHIR sync). */
  public List<ChangeFeedIndex.Row> readAllPartitions(long afterSequence, int limit) {
    return index.page(null, afterSequence, null, null, 0, limit);
  }

  /** The highest sequence of any partition, 0 when nothing changed yet. */
  public long lastSequence() {
    return index.lastSequence();
  }
}
