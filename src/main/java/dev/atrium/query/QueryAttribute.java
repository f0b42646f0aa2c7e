package dev.atrium.query;

/** An attribute the index holds: matchable keys and return keys of PS3.18 Table 10.6.1-5 and PS3.4 C.6. */
public record QueryAttribute(int tag, String keyword, String vr, QueryLevel level, boolean matchable) {
  public String tagHex() {
    return String.format("%08X", tag);
  }
}
