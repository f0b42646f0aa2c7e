package dev.atrium.query;

import java.util.Map;
import java.util.Set;

/**
 * One query, protocol-neutral. Match values are raw DICOM matching strings (PS3.4 C.2.2.2):
 * "" universal; "*" and "?" wildcards; "a-b", "a-", "-b" ranges for DA/TM/DT; UID lists
 * separated by "\" (C-FIND) or "," (QIDO). {@code limit} 0 means no limit (C-FIND).
 */
public record QueryRequest(
    String partition,
    QueryLevel level,
    Map<Integer, String> matchKeys,
    boolean fuzzyPersonNames,
    Set<Integer> returnKeys,
    int offset,
    int limit) {

  /** The same query in another partition (DIMSE learns it from the called AE title after translation). */
  public QueryRequest inPartition(String other) {
    return new QueryRequest(other, level, matchKeys, fuzzyPersonNames, returnKeys, offset, limit);
  }
}
