package dev.atrium.index;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.query.QueryAttribute;
import dev.atrium.query.QueryLevel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query engine reads extended query tags from a snapshot. A client that has seen a change
 * commit (a reindex operation reported completed) must get it from its next query, even when that
 * query runs before the writer has finished: the clean-clone CI once got "not an attribute this
 * archive can query" for a tag whose operation it had just seen completed.
 */
class ExtendedTagSnapshotTest {
  private static final int ACQUISITION_DATE = 0x00080022;

  @TempDir Path dataDir;

  @Test
  void aCommittedChangeIsSeenBeforeItsWriterHasFinished() {
    try (Database db = Database.open(new AtriumConfig.Db(null, "", "", 2), dataDir)) {
      ExtendedTagIndex tags = new ExtendedTagIndex(db);
      tags.add(List.of(new ExtendedTagIndex.NewTag(ACQUISITION_DATE, "DA", null, QueryLevel.INSTANCE)), "op-1");
      assertThat(tags.readyAttributes()).isEmpty(); // Adding: indexed by the store, not queryable yet

      List<QueryAttribute> seenBetweenCommitAndReturn = tags.changing(() -> {
        db.dsl().update(EXTENDED_QUERY_TAG).set(EXTENDED_QUERY_TAG.TAG_STATUS, ExtendedTag.READY).execute();
        return tags.readyAttributes(); // committed (auto-commit), the writer not yet done
      });
      assertThat(seenBetweenCommitAndReturn).extracting(QueryAttribute::tag).containsExactly(ACQUISITION_DATE);
      assertThat(tags.readyAttributes()).extracting(QueryAttribute::tag).containsExactly(ACQUISITION_DATE);
    }
  }
}
