package dev.atrium.tags;

import dev.atrium.dicom.DataDictionary;
import dev.atrium.query.QueryAttributes;

/** A tag as the API names it: eight hex digits ("00101030") or a dictionary keyword ("PatientWeight"). */
final class TagPaths {
  private TagPaths() {}

  static int parse(String path) {
    if (path == null || path.isBlank()) throw TagException.invalid("the tag path is missing");
    String p = path.strip();
    if (p.contains(".")) {
      throw TagException.invalid("'" + p + "': tags inside sequences are not supported, only top-level attributes");
    }
    if (QueryAttributes.isHexTag(p)) return (int) Long.parseLong(p, 16);
    return DataDictionary.byKeyword(p).map(DataDictionary.Element::tag).orElseThrow(() -> TagException.invalid("'" + p
        + "' is neither a tag (eight hex digits such as 00101030) nor a keyword of the DICOM dictionary (PS3.6)"));
  }

  static boolean isPrivate(int tag) {
    return (tag >>> 16 & 1) == 1;
  }
}
