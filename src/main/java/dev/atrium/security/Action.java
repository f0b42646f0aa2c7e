package dev.atrium.security;

import java.util.Locale;

/**
 * What a caller may do, as the Azure DICOM service's data-plane actions: roles in the token are
 * mapped to these by configuration ({@code security.roles}).
 */
public enum Action {
  /** QIDO-RS, WADO-RS/URI, metadata, change feed, C-FIND, C-MOVE, C-GET. */
  READ("read"),
  /** STOW-RS, C-STORE. */
  WRITE("write"),
  DELETE("delete"),
  MANAGE_EXTENDED_QUERY_TAGS("manageExtendedQueryTags"),
  /** Partitions, operations, FHIR sync. */
  ADMIN("admin");

  private final String configName;

  Action(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** From its configuration name (case-insensitive); IllegalArgumentException names the valid ones. */
  public static Action parse(String name) {
    for (Action action : values()) {
      if (action.configName.toLowerCase(Locale.ROOT).equals(name.trim().toLowerCase(Locale.ROOT))) return action;
    }
    throw new IllegalArgumentException("unknown action '" + name + "' (read, write, delete, "
        + "manageExtendedQueryTags, admin)");
  }
}
