package dev.atrium.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Roles (values of the token's roles claim) to actions, from configuration. A value may carry a
 * partition after '@' ({@code DicomDataReader@cardiology}): its actions then hold in that
 * partition only. Unknown roles grant nothing.
 */
public final class RoleMapping {
  private final Map<String, Set<Action>> actionsByRole;

  public RoleMapping(Map<String, Set<Action>> actionsByRole) {
    this.actionsByRole = Map.copyOf(actionsByRole);
  }

  public Set<Grant> grantsFor(Collection<String> roleValues) {
    Set<Grant> grants = new HashSet<>();
    for (String value : roleValues) {
      int at = value.indexOf('@');
      String role = at < 0 ? value : value.substring(0, at);
      String partition = at < 0 ? null : value.substring(at + 1);
      if (partition != null && partition.isEmpty()) continue; // "Role@" names no partition: grants nothing
      for (Action action : actionsByRole.getOrDefault(role, EnumSet.noneOf(Action.class))) {
        grants.add(new Grant(action, partition));
      }
    }
    return grants;
  }
}
