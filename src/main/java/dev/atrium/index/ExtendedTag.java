package dev.atrium.index;

import dev.atrium.dicom.TagHex;
import dev.atrium.query.QueryLevel;
import java.time.LocalDateTime;

/**
 * An extended query tag as the index keeps it. Status: Adding (its reindex runs), Ready
 * (queryable), Deleting (its values are being removed). QueryStatus: Enabled or Disabled.
 */
public record ExtendedTag(int key, int tag, String vr, String privateCreator, QueryLevel level, String status,
    String queryStatus, int errorCount, String operationId, LocalDateTime createdAt) {
  public static final String ADDING = "Adding";
  public static final String READY = "Ready";
  public static final String DELETING = "Deleting";
  public static final String ENABLED = "Enabled";
  public static final String DISABLED = "Disabled";

  /** The path the API names it by: eight upper-case hex digits. */
  public String path() {
    return TagHex.of(tag);
  }

  /** Indexed at store time: every tag not being deleted. */
  public boolean active() {
    return !status.equals(DELETING);
  }

  /** "Study", "Series" or "Instance", as the API and the index write a level. */
  public static String levelName(QueryLevel level) {
    return level.name().charAt(0) + level.name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  static QueryLevel level(String name) {
    return QueryLevel.valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
