package dev.atrium.index;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series the index writer stored into lately, with their study and patient, so that the next instance of a
 * series costs no query to find them (a tenth of the writer's time per instance). Only where this process is the
 * index's one writer (embedded H2, whose file it locks): several nodes sharing MariaDB change each other's rows.
 * Used by the writer thread alone; emptied whenever what it holds may have changed (a rolled-back transaction, a
 * replace, any write run between stores such as a delete).
 */
final class KnownSeriesCache {
  private static final int CAPACITY = 1024;

  private final boolean enabled;
  private final Map<String, StoreStatements.KnownSeries> entries = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, StoreStatements.KnownSeries> eldest) {
      return size() > CAPACITY;
    }
  };

  KnownSeriesCache(boolean enabled) {
    this.enabled = enabled;
  }

  StoreStatements.KnownSeries get(String partition, String seriesInstanceUid) {
    return enabled ? entries.get(key(partition, seriesInstanceUid)) : null;
  }

  void put(String partition, String seriesInstanceUid, StoreStatements.KnownSeries series) {
    if (enabled) entries.put(key(partition, seriesInstanceUid), series);
  }

  void remove(String partition, String seriesInstanceUid) {
    entries.remove(key(partition, seriesInstanceUid));
  }

  void clear() {
    entries.clear();
  }

  private static String key(String partition, String seriesInstanceUid) {
    return partition + '\n' + seriesInstanceUid; // neither holds a line break (validated UID, partition name)
  }
}
