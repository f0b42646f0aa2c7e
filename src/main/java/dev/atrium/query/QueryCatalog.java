package dev.atrium.query;

import dev.atrium.dicom.DataDictionary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What QIDO-RS and C-FIND may name: the standard catalog ({@link QueryAttributes}) and the
 * extended query tags that are ready. Standard attributes win; an extended tag is never one of
 * them (the API refuses to add those).
 */
public final class QueryCatalog {
  private final ExtendedAttributes extended;

  public QueryCatalog(ExtendedAttributes extended) {
    this.extended = extended;
  }

  public Optional<QueryAttribute> byTag(int tag) {
    Optional<QueryAttribute> standard = QueryAttributes.byTag(tag);
    if (standard.isPresent()) return standard;
    return extended.readyAttributes().stream().filter(a -> a.tag() == tag).findFirst();
  }

  /** A keyword ("PatientID") or an 8-digit hex tag ("00100020"), as QIDO accepts both. */
  public Optional<QueryAttribute> byName(String name) {
    Optional<QueryAttribute> standard = QueryAttributes.byName(name);
    if (standard.isPresent()) return standard;
    if (QueryAttributes.isHexTag(name)) return byTag((int) Long.parseLong(name, 16));
    String lower = name.toLowerCase(Locale.ROOT);
    return extended.readyAttributes().stream().filter(a -> a.keyword().toLowerCase(Locale.ROOT).equals(lower))
        .findFirst();
  }

  /**
   * A standard attribute the index does not hold but a query may return from the stored instances (a keyword or an
   * 8-digit hex tag): not a sequence, not private, not file meta information or a command element.
   */
  public Optional<Integer> storedAttribute(String name) {
    Optional<DataDictionary.Element> element = QueryAttributes.isHexTag(name)
        ? DataDictionary.byTag((int) Long.parseLong(name, 16)) : DataDictionary.byKeyword(name);
    return element.map(DataDictionary.Element::tag).filter(this::isStored);
  }

  /** Whether {@code tag} is returned from the stored instances: see {@link #storedAttribute}. */
  public boolean isStored(int tag) {
    int group = tag >>> 16;
    if (group <= 0x0002 || (group & 1) == 1 || byTag(tag).isPresent()) return false;
    return DataDictionary.byTag(tag).filter(e -> !e.vr().equals("SQ")).isPresent();
  }

  /** Why {@code name} is not queryable yet when it is an extended query tag still being added or deleted. */
  public Optional<String> notReady(String name) {
    return extended.notReady(name);
  }

  /** Every attribute that can be returned at {@code level} (includefield=all). */
  public List<QueryAttribute> usableAt(QueryLevel level) {
    List<QueryAttribute> all = new ArrayList<>(QueryAttributes.all());
    all.addAll(extended.readyAttributes());
    return all.stream().filter(a -> QueryAttributes.usableAt(a, level)).toList();
  }
}
