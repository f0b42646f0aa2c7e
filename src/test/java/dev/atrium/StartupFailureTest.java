package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** The line `atrium: cannot start: …` says what is wrong and where (it printed exception class names). */
class StartupFailureTest {
  @Test
  void fileSystemProblemsNameThePathAndTheProblem() {
    assertThat(StartupFailure.describe(new FileAlreadyExistsException("/srv/atrium/data")))
        .isEqualTo("/srv/atrium/data is in the way: a file, not a directory");
    assertThat(StartupFailure.describe(new UncheckedIOException(new AccessDeniedException("/srv/atrium/data/index"))))
        .isEqualTo("/srv/atrium/data/index: permission denied");
    assertThat(StartupFailure.describe(new FileSystemException("/ro/index", null, "Read-only file system")))
        .isEqualTo("/ro/index: Read-only file system");
  }

  @Test
  void otherFailuresGiveTheirMessage() {
    assertThat(StartupFailure.describe(new BindException("DIMSE port 11112: Address already in use")))
        .isEqualTo("DIMSE port 11112: Address already in use");
    assertThat(StartupFailure.describe(new UncheckedIOException(new IOException("the index is in use"))))
        .isEqualTo("the index is in use");
    assertThat(StartupFailure.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }
}
