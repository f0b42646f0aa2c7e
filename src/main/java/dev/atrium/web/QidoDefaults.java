package dev.atrium.web;

import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryCatalog;
import dev.atrium.query.QueryLevel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Default return attributes of PS3.18 Tables 10.6.3-3 (study), -4 (series) and -5 (instance). */
final class QidoDefaults {
  private static final List<Integer> STUDY = List.of(0x00080020, 0x00080030, 0x00080050, 0x00080061, 0x00080090,
      0x00100010, 0x00100020, 0x00100030, 0x00100040, 0x0020000D, 0x00200010, 0x00201206, 0x00201208,
      0x00081030);
  private static final List<Integer> SERIES = List.of(0x00080060, 0x0008103E, 0x0020000E, 0x00200011,
      0x00201209, 0x00400244, 0x00400245, 0x0020000D);
  private static final List<Integer> INSTANCE = List.of(0x00080016, 0x00080018, 0x00200013, 0x00280010,
      0x00280011, 0x00280100, 0x00280008, 0x0020000D, 0x0020000E);

  private QidoDefaults() {}

  /**
   * What to return: the level's defaults, the defaults of the levels above when the query spans
   * them (all series, all instances: 10.6.3.3), the match keys, and includefield.
   */
  static Set<Integer> returnKeys(QueryLevel level, boolean parentsInPath, QidoParameters p, QueryCatalog catalog) {
    Set<Integer> keys = new LinkedHashSet<>();
    if (p.includeAll()) {
      for (QueryAttribute a : catalog.usableAt(level)) keys.add(a.tag());
      return keys;
    }
    switch (level) {
      case STUDY, PATIENT -> keys.addAll(STUDY);
      case SERIES -> {
        keys.addAll(SERIES);
        if (!parentsInPath) keys.addAll(STUDY);
      }
      case INSTANCE -> {
        keys.addAll(INSTANCE);
        if (!parentsInPath) {
          keys.addAll(STUDY);
          keys.addAll(SERIES);
        }
      }
    }
    keys.addAll(p.matchKeys().keySet());
    keys.addAll(p.includeFields());
    return keys;
  }
}
