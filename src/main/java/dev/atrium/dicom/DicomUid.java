package dev.atrium.dicom;

/** UID syntax of PS3.5 9.1: components of digits separated by dots, no leading zero, at most 64 chars. */
public final class DicomUid {
  private DicomUid() {}

  public static boolean isValid(String uid) {
    if (uid == null || uid.isEmpty() || uid.length() > 64) return false;
    int componentStart = 0;
    for (int i = 0; i <= uid.length(); i++) {
      char c = i < uid.length() ? uid.charAt(i) : '.';
      if (c == '.') {
        int length = i - componentStart;
        if (length == 0) return false;
        if (length > 1 && uid.charAt(componentStart) == '0') return false;
        componentStart = i + 1;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The value if valid; otherwise an exception whose message names what and why. */
  public static String require(String uid, String what) {
    if (!isValid(uid)) throw new InvalidUidException(what, uid);
    return uid;
  }

  /** A UID that breaks PS3.5 9.1, with a message safe to show a client. */
  public static final class InvalidUidException extends IllegalArgumentException {
    public InvalidUidException(String what, String uid) {
      super(what + " is not a valid UID (PS3.5 9.1: digits and dots, no leading zeros, at most 64 characters): '"
          + printable(uid) + "'");
    }
  }

  static String printable(String value) {
    if (value == null) return "";
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
