package dev.atrium.fhir;

import dev.atrium.changefeed.ChangeFeedService;
import dev.atrium.index.ChangeFeedIndex;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the change feed after the checkpoint and groups consecutive changes of one study. A
 * stored instance's facts come from its metadata while it is current; a change whose instance
 * was deleted or replaced since carries nothing to store (the later change that did it follows).
 */
final class ChangeReader {
  private static final Logger log = LoggerFactory.getLogger(ChangeReader.class);

  private final ChangeFeedService feed;
  private final RetrieveService retrieve;

  ChangeReader(ChangeFeedService feed, RetrieveService retrieve) {
    this.feed = feed;
    this.retrieve = retrieve;
  }

  List<StudyChanges> next(long checkpoint, int batchSize) {
    List<StudyChanges> groups = new ArrayList<>();
    String partition = null;
    String study = null;
    long first = 0;
    long last = 0;
    List<StudyChanges.Change> changes = new ArrayList<>();
    for (ChangeFeedIndex.Row row : feed.readAllPartitions(checkpoint, batchSize)) {
      if (!row.partition().equals(partition) || !row.studyUid().equals(study)) {
        if (study != null) groups.add(new StudyChanges(partition, study, first, last, changes));
        partition = row.partition();
        study = row.studyUid();
        first = row.sequence();
        changes = new ArrayList<>();
      }
      last = row.sequence();
      StudyChanges.Change change = change(row);
      if (change != null) changes.add(change);
    }
    if (study != null) groups.add(new StudyChanges(partition, study, first, last, changes));
    return groups;
  }

  private StudyChanges.Change change(ChangeFeedIndex.Row row) {
    if ("delete".equals(row.action())) return new StudyChanges.Removed(row.seriesUid(), row.sopUid());
    if (row.current() == null) return null;
    try {
      return new StudyChanges.Stored(InstanceFacts.parse(retrieve.metadata(row.current())));
    } catch (IOException e) {
      // Deleted between the read of the feed and of its file: the delete entry comes next.
      log.debug("instance {} unreadable for FHIR sync, skipped: {}", row.sopUid(), e.getMessage());
      return null;
    }
  }
}
