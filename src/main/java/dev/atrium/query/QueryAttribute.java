package dev.atrium.query;

import dev.atrium.dicom.TagHex;

/**
 * An attribute the index holds: matchable keys and return keys of PS3.18 Table 10.6.1-5 and PS3.4
 * C.6, or an extended query tag added through the API ({@code extension} not null).
 */
public record QueryAttribute(int tag, String keyword, String vr, QueryLevel level, boolean matchable,
    Extension extension) {

  /**
   * What an extended query tag adds: its key in the index, its private creator (null for a
   * standard tag), and whether matching is enabled and errors were found while indexing it.
   */
  public record Extension(int key, String privateCreator, boolean queryEnabled, boolean hasErrors) {}

  /** A standard attribute of the catalog. */
  public QueryAttribute(int tag, String keyword, String vr, QueryLevel level, boolean matchable) {
    this(tag, keyword, vr, level, matchable, null);
  }

  public boolean extended() {
    return extension != null;
  }

  public String tagHex() {
    return TagHex.of(tag);
  }
}
