package dev.atrium.store;

import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.IndexOutcome;
import dev.atrium.index.InstanceIndex;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After an unclean stop, indexes again the acknowledged instances that the embedded index lost (see
 * {@link IndexJournal}): those journaled with a change-feed sequence above the index's last one, in their order,
 * from their files, which were durable in their final place before the acknowledgement. Runs before the staging
 * recovery, which would otherwise take a lost instance whose staging entry was still there for never committed.
 */
public final class JournalReplay {
  private static final Logger log = LoggerFactory.getLogger(JournalReplay.class);
  private static final int BATCH = 64;

  private JournalReplay() {}

  /** Returns how many instances were indexed again. */
  public static int replay(IndexJournal journal, long lastIndexedSequence, BlobStore blobs, GroupCommit index)
      throws IOException {
    List<IndexJournal.Stored> lost = journal.leftOver().stream()
        .filter(s -> s.sequence() > lastIndexedSequence).toList();
    int restored = 0;
    for (int from = 0; from < lost.size(); from += BATCH) {
      List<IndexJournal.Stored> batch = lost.subList(from, Math.min(lost.size(), from + BATCH));
      List<InstanceIndex.Entry> entries = new ArrayList<>();
      for (IndexJournal.Stored s : batch) {
        InstanceIndex.Entry entry = entryOf(s, blobs);
        if (entry != null) entries.add(entry);
      }
      if (entries.isEmpty()) continue;
      List<IndexOutcome> outcomes = index.storeAll(entries);
      for (int i = 0; i < entries.size(); i++) {
        IndexOutcome outcome = outcomes.get(i);
        if (outcome instanceof IndexOutcome.Created || outcome instanceof IndexOutcome.Replaced) {
          restored++;
        } else {
          log.warn("recovery: journaled instance {} not indexed again ({})", entries.get(i).blobKey(), outcome);
        }
      }
    }
    if (restored > 0) {
      log.warn("recovery: the index had lost {} acknowledged instance(s) at the crash; indexed them again from "
          + "their files", restored);
    }
    journal.replayed();
    return restored;
  }

  private static InstanceIndex.Entry entryOf(IndexJournal.Stored s, BlobStore blobs) {
    try {
      long size = blobs.size(s.blobKey());
      DicomHeader header = DicomHeaderReader.read(() -> blobs.open(s.blobKey()), size);
      return new InstanceIndex.Entry(s.partition(), header, s.blobKey(), size,
          s.replace() ? InstanceIndex.OnDuplicate.REPLACE : InstanceIndex.OnDuplicate.KEEP);
    } catch (IOException | DicomParseException e) {
      // A later, acknowledged delete may have removed it; nothing is left to index.
      log.warn("recovery: journaled instance {} has no readable file ({}); not indexed again", s.blobKey(),
          e.toString());
      return null;
    }
  }
}
