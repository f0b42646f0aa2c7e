package dev.atrium.security;

import java.util.Set;

/**
 * Who is calling and what they may do. {@code name} is what the audit trail records: the token's
 * subject (with its client id when it has one), or "anonymous" when security is off.
 */
public record Principal(String name, Set<Grant> grants) {

  /** When security is off: everything, everywhere. */
  public static final Principal ANONYMOUS = new Principal("anonymous", null);

  /**
   * May this principal perform {@code action} on {@code scope} (a partition name, or null for
   * archive-wide resources such as extended query tags, which only unscoped grants reach)?
   */
  public boolean may(Action action, String scope) {
    if (grants == null) return true;
    for (Grant grant : grants) {
      if (grant.covers(action, scope)) return true;
    }
    return false;
  }
}
