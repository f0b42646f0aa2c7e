package dev.atrium.dimse;

import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.ClientAssociation;
import dev.atrium.dimse.net.ClientAssociation.ProposedContext;
import dev.atrium.index.StoredInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The presentation contexts a C-MOVE proposes to its destination: for each SOP class among the instances, one
 * context per stored transfer syntax, then explicit and implicit VR little endian as fall-backs in contexts of
 * their own (PS3.4 C.4.2.3.1 leaves the choice to the SCP; one syntax per context lets the destination accept
 * each separately). At most 128 (PS3.8 9.3.2.2): fall-backs go first when there are more.
 */
final class MoveContexts {
  private static final List<String> FALLBACKS =
      List.of(SopClasses.EXPLICIT_VR_LITTLE_ENDIAN, SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);

  private MoveContexts() {}

  static List<ProposedContext> propose(List<StoredInstance> instances) {
    Map<String, Set<String>> syntaxesByClass = new LinkedHashMap<>();
    for (StoredInstance instance : instances) {
      syntaxesByClass.computeIfAbsent(instance.sopClassUid(), c -> new LinkedHashSet<>())
          .add(instance.transferSyntaxUid());
    }
    List<ProposedContext> stored = new ArrayList<>();
    List<ProposedContext> fallbacks = new ArrayList<>();
    syntaxesByClass.forEach((sopClass, syntaxes) -> {
      syntaxes.forEach(ts -> stored.add(new ProposedContext(sopClass, List.of(ts))));
      FALLBACKS.stream().filter(ts -> !syntaxes.contains(ts))
          .forEach(ts -> fallbacks.add(new ProposedContext(sopClass, List.of(ts))));
    });
    List<ProposedContext> all = new ArrayList<>(stored);
    all.addAll(fallbacks);
    return all.size() > ClientAssociation.MAX_PRESENTATION_CONTEXTS
        ? List.copyOf(all.subList(0, ClientAssociation.MAX_PRESENTATION_CONTEXTS)) : all;
  }
}
