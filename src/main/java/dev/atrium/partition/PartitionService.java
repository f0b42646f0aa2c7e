package dev.atrium.partition;

import dev.atrium.index.PartitionIndex;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Lists the data partitions (GET /dicom-web/partitions); they are created by the store path. */
public final class PartitionService {
  private final PartitionIndex index;
  /** Partitions are never removed: one seen once exists for good, and is not looked up again. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public PartitionService(PartitionIndex index) {
    this.index = index;
  }

  /** Whether the partition exists: the default one always, another once an instance was stored into it. */
  public boolean exists(String name) {
    if (Partitions.DEFAULT.equals(name) || known.contains(name)) return true;
    if (!index.exists(name)) return false;
    known.add(name);
    return true;
  }

  public List<PartitionIndex.Row> list() {
    return index.all();
  }
}
