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
import java.util.function.Function;

/**
 * The presentation contexts a C-MOVE proposes to its destination: for each SOP class among the instances, one
 * context per stored transfer syntax, then explicit and implicit VR little endian as fall-backs in contexts of
 * their own (PS3.4 C.4.2.3.1 leaves the choice to the SCP; one syntax per context lets the destination accept
 * each separately). At most 128 (PS3.8 9.3.2.2): when more are wanted, every class first gets implicit VR little
 * endian, which every SCP supports (PS3.5 10.1), then its stored syntaxes, then explicit VR little endian, as
 * far as they go (the stored syntaxes once came first, and the last classes of a study with many were never
 * proposed in any syntax).
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
    return all.size() <= ClientAssociation.MAX_PRESENTATION_CONTEXTS ? all : byNeed(syntaxesByClass);
  }

  private static List<ProposedContext> byNeed(Map<String, Set<String>> syntaxesByClass) {
    Set<ProposedContext> chosen = new LinkedHashSet<>();
    List<Function<Set<String>, List<String>>> rounds = List.of(
        stored -> List.of(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN), List::copyOf,
        stored -> List.of(SopClasses.EXPLICIT_VR_LITTLE_ENDIAN));
    for (var round : rounds) {
      for (Map.Entry<String, Set<String>> sopClass : syntaxesByClass.entrySet()) {
        for (String ts : round.apply(sopClass.getValue())) {
          if (chosen.size() == ClientAssociation.MAX_PRESENTATION_CONTEXTS) return List.copyOf(chosen);
          chosen.add(new ProposedContext(sopClass.getKey(), List.of(ts)));
        }
      }
    }
    return List.copyOf(chosen);
  }
}
