package dev.atrium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** A client hears what went wrong in storage, never where the archive keeps its files. */
class IoFailureTextTest {
  private static final String STAGING = "/srv/atrium/data/blobs/.staging/81d6cf83ec29748ac3defa7b6d412187.tmp";

  @Test
  void aFileSystemFailureGivesItsReasonWithoutThePath() {
    assertThat(IoFailureText.of(new FileSystemException(STAGING, null, "No space left on device")))
        .isEqualTo("No space left on device");
    assertThat(IoFailureText.of(new UncheckedIOException(new AccessDeniedException(STAGING))))
        .isEqualTo("file system error");
  }

  @Test
  void pathsInOtherMessagesAreLeftOut() {
    assertThat(IoFailureText.of(new IOException("fsync of " + STAGING + " failed: Input/output error")))
        .isEqualTo("fsync of (path) failed: Input/output error").doesNotContain(".staging");
    assertThat(IoFailureText.of(new IOException())).isEqualTo("IOException");
    assertThat(IoFailureText.of(new IOException("read 1.2.840.10008.1.2.1 data/set"))).isEqualTo(
        "read 1.2.840.10008.1.2.1 data/set");
  }
}
