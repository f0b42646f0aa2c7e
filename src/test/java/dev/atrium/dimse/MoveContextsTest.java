package dev.atrium.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.ClientAssociation.ProposedContext;
import dev.atrium.index.StoredInstance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which presentation contexts a C-MOVE proposes to its destination (PS3.8 9.3.2.2 allows 128). */
class MoveContextsTest {
  private static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70";

  @Test
  void eachClassIsProposedInItsStoredSyntaxThenInTheFallBacks() {
    List<ProposedContext> proposed = MoveContexts.propose(List.of(instance("1.2.840.10008.5.1.4.1.1.2", JPEG_LOSSLESS)));
    assertThat(proposed).extracting(c -> c.transferSyntaxes().get(0)).containsExactly(JPEG_LOSSLESS,
        SopClasses.EXPLICIT_VR_LITTLE_ENDIAN, SopClasses.IMPLICIT_VR_LITTLE_ENDIAN);
  }

  @Test
  void withMoreClassesThanContextsEveryClassGetsImplicitVrLittleEndianFirst() {
    // A QA pass stored 70 private classes: the last 12 were proposed in no syntax at all, and failed.
    List<StoredInstance> instances = new ArrayList<>();
    for (int i = 1; i <= 70; i++) {
      instances.add(instance("1.2.826.0.1.3680043.9.7777.99." + i, SopClasses.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    List<ProposedContext> proposed = MoveContexts.propose(instances);
    assertThat(proposed).hasSize(128).doesNotHaveDuplicates();
    for (StoredInstance instance : instances) {
      assertThat(proposed).as(instance.sopClassUid()).contains(new ProposedContext(instance.sopClassUid(),
          List.of(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN)));
    }
    // what room is left goes to the stored syntax, class by class
    assertThat(proposed.subList(70, 128)).allMatch(c -> c.transferSyntaxes().equals(
        List.of(SopClasses.EXPLICIT_VR_LITTLE_ENDIAN)));
  }

  private static StoredInstance instance(String sopClass, String syntax) {
    return new StoredInstance("1.2.3", "1.2.3.4", sopClass + ".1", sopClass, syntax, "key", 100);
  }
}
