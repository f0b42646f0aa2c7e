package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which index URLs name an H2 file whose commits Atrium must sync itself. */
class CommitSyncTest {
  @Test
  void findsTheStoreFileOfAnH2FileDatabase() {
    assertThat(CommitSync.h2FileStore("jdbc:h2:file:/srv/atrium/index/atrium;MODE=MariaDB;WRITE_DELAY=0"))
        .isEqualTo(Path.of("/srv/atrium/index/atrium.mv.db"));
    assertThat(CommitSync.h2FileStore("jdbc:h2:/srv/x")).isEqualTo(Path.of("/srv/x.mv.db"));
    assertThat(CommitSync.h2FileStore("jdbc:h2:./data/index/atrium")).isEqualTo(Path.of("./data/index/atrium.mv.db"));
    assertThat(CommitSync.h2FileStore("jdbc:h2:~/atrium"))
        .isEqualTo(Path.of(System.getProperty("user.home") + "/atrium.mv.db"));
  }

  @Test
  void leavesOtherDatabasesToSyncThemselves() {
    assertThat(CommitSync.h2FileStore("jdbc:mariadb://db:3306/atrium")).isNull();
    assertThat(CommitSync.h2FileStore("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isNull();
    assertThat(CommitSync.h2FileStore("jdbc:h2:tcp://host/~/atrium")).isNull();
    assertThat(CommitSync.h2FileStore(null)).isNull();
  }
}
