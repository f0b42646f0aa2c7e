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

  public List<ChangeFeedIndex.Row> read(String partition, ChangeFeedRequest request) {
    return index.page(partition, request.afterSequence(), request.start(), request.end(), request.skip(),
        request.limit());
  }

  public List<ChangeFeedIndex.Row> latest(String partition) {
    return index.latest(partition);
  }

  /** The changes of all partitions after {@code afterSequence}, for readers of the whole archive (FHIR sync). */
  public List<ChangeFeedIndex.Entry> readAllPartitions(long afterSequence, int limit) {
    return index.pageAllPartitions(afterSequence, limit);
  }

  /** The highest sequence of any partition, 0 when nothing changed yet. */
  public long lastSequence() {
    return index.lastSequence();
  }
}
