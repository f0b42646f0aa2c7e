package dev.atrium.index;

import static dev.atrium.index.schema.Tables.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded index is rewritten after an unclean stop, and only then; a clean close leaves no marker. */
class UncleanStopMarkerTest {
  private static final AtriumConfig.Db EMBEDDED = new AtriumConfig.Db("", "", "", 2);

  @TempDir Path dataDir;

  @Test
  void aCleanCloseLeavesNoMarkerAndTheNextOpenDoesNotRewrite() throws Exception {
    try (Database db = Database.open(EMBEDDED, dataDir)) {
      assertThat(marker()).as("while open").exists();
      assertThat(db.dsl().fetchCount(PATIENT)).isZero();
    }
    assertThat(marker()).doesNotExist();
    assertThat(open().rewrote()).isFalse();
  }

  @Test
  void aMarkerLeftByAnUncleanStopHasTheFileRewrittenAndKeepsItsData() throws Exception {
    try (Database db = Database.open(EMBEDDED, dataDir)) {
      db.dsl().execute("insert into patient (partition_name, patient_id, issuer_of_patient_id, patient_name, "
          + "patient_name_norm, created_at, updated_at) values ('DEFAULT', 'P1', '', 'DOE^JOHN', 'DOE^JOHN', now(), "
          + "now())");
    }
    Files.createFile(marker()); // what a kill leaves: the marker of a run that never closed the index
    UncleanStopMarker reopened = open();
    assertThat(reopened.rewrote()).isTrue();
    reopened.closedCleanly();
    try (Database db = Database.open(EMBEDDED, dataDir)) {
      assertThat(db.dsl().fetchCount(PATIENT)).as("the rewritten file holds the data").isEqualTo(1);
    }
  }

  @Test
  void theMarkerAnEarlierBuildLeftAfterACrashIsHonouredAndCleared() throws Exception {
    try (Database db = Database.open(EMBEDDED, dataDir)) {
      assertThat(db.dsl().fetchCount(PATIENT)).isZero();
    }
    Path earlier = dataDir.resolve("index").resolve("atrium.mv.db.open");
    Files.createFile(earlier); // a build before the index lock, killed
    UncleanStopMarker reopened = open();
    assertThat(reopened.rewrote()).isTrue();
    assertThat(earlier).doesNotExist();
    reopened.closedCleanly();
  }

  @Test
  void aSecondOpenInTheSameJvmSharesTheDatabaseWithoutRewritingIt() throws Exception {
    try (Database first = Database.open(EMBEDDED, dataDir)) {
      try (Database second = Database.open(EMBEDDED, dataDir)) {
        assertThat(second.dsl().fetchCount(PATIENT)).isZero();
      }
      assertThat(marker()).as("the first is still open").exists();
      assertThat(first.dsl().fetchCount(PATIENT)).as("not shut down under it").isZero();
    }
    assertThat(marker()).doesNotExist();
  }

  private UncleanStopMarker open() throws Exception {
    Path store = CommitSync.h2FileStore(Database.embeddedUrl(dataDir));
    return UncleanStopMarker.open(Database.embeddedUrl(dataDir), null, null, store);
  }

  private Path marker() {
    return dataDir.resolve("index").resolve("atrium.mv.db.in-use");
  }
}
