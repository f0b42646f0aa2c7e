package dev.atrium.query;

import java.util.List;
import java.util.Optional;

/**
 * Where the extended query tags come from (the index keeps them): those whose reindex has
 * completed, as attributes with an {@link QueryAttribute.Extension}. Tags still being added or
 * deleted are not listed, so a query naming one is refused like any unknown attribute.
 */
public interface ExtendedAttributes {
  ExtendedAttributes NONE = List::of;

  List<QueryAttribute> readyAttributes();

  /**
   * Why an extended query tag named by keyword or hex tag cannot be queried yet ("being added: its reindex has
   * not completed"), or empty when no such tag is on its way in or out.
   */
  default Optional<String> notReady(String name) {
    return Optional.empty();
  }
}
