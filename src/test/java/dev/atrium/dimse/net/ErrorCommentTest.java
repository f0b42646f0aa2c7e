package dev.atrium.dimse.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error Comment is LO: 64 characters at most (PS3.7 C.4, PS3.5 6.2), cut where a reader can tell. */
class ErrorCommentTest {
  @Test
  void aLongCommentIsCutAtAWordAndMarked() {
    String comment = "cannot associate with DOWN: association rejected (permanent): source 1, reason 7";
    String fitted = CommandSet.fitLO(comment);
    assertThat(fitted).hasSizeLessThanOrEqualTo(64).endsWith("...")
        .isEqualTo("cannot associate with DOWN: association rejected (permanent):...");
    assertThat(CommandSet.fitLO("short")).isEqualTo("short");
    assertThat(CommandSet.fitLO("x".repeat(80))).hasSize(64).endsWith("...");
  }
}
