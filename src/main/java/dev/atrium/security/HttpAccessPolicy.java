package dev.atrium.security;

/**
 * Which action an HTTP request needs, by method and path (the path as routed, without the
 * /partitions/{name} prefix). One table for the whole HTTP surface, so an endpoint added later
 * cannot be reachable without a decision: anything not listed needs {@link Action#ADMIN}.
 */
public final class HttpAccessPolicy {

  /** What a request needs: an action, on a partition or (scope null) on archive-wide resources. */
  public record Requirement(Action action, boolean archiveWide) {}

  private HttpAccessPolicy() {}

  /** Null: open to everyone (the health probe). */
  public static Requirement requirement(String method, String path) {
    if (path.equals("/health")) return null;
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (startsWith(path, "/dicom-web/extendedquerytags")) {
      return new Requirement(read ? Action.READ : Action.MANAGE_EXTENDED_QUERY_TAGS, true);
    }
    if (startsWith(path, "/dicom-web/operations") || startsWith(path, "/dicom-web/partitions")
        || startsWith(path, "/fhir-sync")) {
      return new Requirement(Action.ADMIN, true);
    }
    if (startsWith(path, "/dicom-web") || startsWith(path, "/wado")) {
      if (read) return new Requirement(Action.READ, false);
      if ((method.equals("POST") || method.equals("PUT")) && startsWith(path, "/dicom-web/studies")) {
        return new Requirement(Action.WRITE, false);
      }
      if (method.equals("DELETE") && startsWith(path, "/dicom-web/studies")) {
        return new Requirement(Action.DELETE, false);
      }
    }
    return new Requirement(Action.ADMIN, true);
  }

  private static boolean startsWith(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
