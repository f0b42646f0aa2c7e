package dev.atrium.query;

import java.util.SortedMap;

/**
 * One matching entity: the requested return keys (that the index holds) as DICOM string values,
 * formatted per VR (DA "YYYYMMDD", TM "HHMMSS.FFFFFF", multiple values joined by "\"), in tag
 * order. A requested key with no value is present with an empty string.
 */
public record QueryMatch(SortedMap<Integer, String> values) {
  public String get(int tag) {
    return values.get(tag);
  }
}
