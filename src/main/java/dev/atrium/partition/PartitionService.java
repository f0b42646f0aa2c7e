package dev.atrium.partition;

import dev.atrium.index.PartitionIndex;
import java.util.List;

/** Lists the data partitions (GET /dicom-web/partitions); they are created by the store path. */
public final class PartitionService {
  private final PartitionIndex index;

  public PartitionService(PartitionIndex index) {
    this.index = index;
  }

  public List<PartitionIndex.Row> list() {
    return index.all();
  }
}
