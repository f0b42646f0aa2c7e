package dev.atrium.query;

import java.util.List;

/**
 * Where the extended query tags come from (the index keeps them): those whose reindex has
 * completed, as attributes with an {@link QueryAttribute.Extension}. Tags still being added or
 * deleted are not listed, so a query naming one is refused like any unknown attribute.
 */
public interface ExtendedAttributes {
  ExtendedAttributes NONE = List::of;

  List<QueryAttribute> readyAttributes();
}
