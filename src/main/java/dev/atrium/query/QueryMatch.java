package dev.atrium.query;

import java.util.Map;
import java.util.SortedMap;

/**
 * One matching entity: the requested return keys as DICOM string values, formatted per VR (DA "YYYYMMDD", TM
 * "HHMMSS.FFFFFF", multiple values joined by "\"), in tag order. A requested key the index holds is present, with
 * an empty string when it has no value; one read from the stored instance ({@link StoredAttributes}) is present when
 * the instance has it, its VR in {@code storedVrs}.
 */
public record QueryMatch(SortedMap<Integer, String> values, Map<Integer, String> storedVrs) {
  public QueryMatch(SortedMap<Integer, String> values) {
    this(values, Map.of());
  }

  public String get(int tag) {
    return values.get(tag);
  }
}
