package dev.atrium.store;

import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.IndexJournal;
import dev.atrium.index.IndexOutcome;
import dev.atrium.index.InstanceDeletion;
import dev.atrium.index.InstanceIndex;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After an unclean stop, makes again the acknowledged changes that the embedded index lost (see
 * {@link IndexJournal}): those journaled with a change-feed sequence above the index's last one, in their order.
 * Stored instances are indexed again from their files, which were durable before the acknowledgement (their final
 * names restored from staging first, {@link BlobStore#restore}), when their bytes are those journaled (a line is
 * synced while its blob is still being made durable, so a crash can leave a line whose blob it cut short: that store
 * was never acknowledged); deletes are done again. Runs before the staging
 * recovery, which would otherwise take a lost instance whose staging entry was still there for never committed.
 */
public final class JournalReplay {
  private static final Logger log = LoggerFactory.getLogger(JournalReplay.class);
  private static final int BATCH = 64;

  private final BlobStore blobs;
  private final GroupCommit index;
  private final InstanceDeletion deletion;
  private final List<InstanceIndex.Entry> pending = new ArrayList<>();
  private int restored;
  private int deletesRedone;

  private JournalReplay(BlobStore blobs, GroupCommit index, InstanceDeletion deletion) {
    this.blobs = blobs;
    this.index = index;
    this.deletion = deletion;
  }

  /** Returns how many changes were made again. */
  public static int replay(IndexJournal journal, long lastIndexedSequence, BlobStore blobs, GroupCommit index,
      InstanceDeletion deletion) throws IOException {
    JournalReplay replay = new JournalReplay(blobs, index, deletion);
    for (IndexJournal.Record record : journal.leftOver(lastIndexedSequence)) {
      if (record instanceof IndexJournal.Stored stored) replay.store(stored);
      else replay.delete((IndexJournal.Deletion) record);
    }
    replay.flush();
    if (replay.restored + replay.deletesRedone > 0) {
      log.info("recovery: {} acknowledged instance(s) and {} delete(s) were missing from the index file "
          + "(an unclean stop, or H2 reopened at an earlier version); made them again from the journal (instances "
          + "from their files)", replay.restored, replay.deletesRedone);
    }
    index.syncIndexFile(); // the changes made again are in the index file before the old journal goes
    journal.replayed();
    return replay.restored + replay.deletesRedone;
  }

  private void store(IndexJournal.Stored s) {
    try {
      long size = blobs.size(s.blobKey());
      long checksum = checksum(s.blobKey());
      if (s.checksum() != IndexJournal.Stored.CHECKED_AT_COMMIT && (size != s.size() || checksum != s.checksum())) {
        // Journaled while its blob was still being made durable, and the crash came first: never acknowledged.
        log.info("recovery: journaled instance {} was cut short by the crash ({} of {} bytes, CRC32C {} for {}); "
            + "it was never acknowledged and is not indexed", s.blobKey(), size, s.size(), Long.toHexString(checksum),
            Long.toHexString(s.checksum()));
      } else {
        DicomHeader header = DicomHeaderReader.read(() -> blobs.open(s.blobKey()), size);
        pending.add(new InstanceIndex.Entry(s.partition(), header, s.blobKey(), size, checksum,
            s.replace() ? InstanceIndex.OnDuplicate.REPLACE : InstanceIndex.OnDuplicate.KEEP));
      }
    } catch (IOException | DicomParseException e) {
      // A later, acknowledged delete may have removed it, or a rolled-back store discarded it: nothing to index.
      log.warn("recovery: journaled instance {} has no readable file ({}); not indexed again", s.blobKey(),
          e.toString());
    }
    if (pending.size() >= BATCH) flush();
  }

  private long checksum(String blobKey) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = blobs.open(blobKey)) {
      for (int n; (n = in.read(buffer)) > 0; ) crc.update(buffer, 0, n);
    }
    return crc.getValue();
  }

  /** In journal order: the stores before a delete are indexed before it. */
  private void delete(IndexJournal.Deletion d) {
    flush();
    InstanceDeletion.Deleted done = index.exclusive(
        () -> deletion.delete(d.partition(), d.studyUid(), d.seriesUid(), d.sopUid()),
        redone -> IndexJournal.Deletion.of(redone, d.partition(), d.studyUid(), d.seriesUid(), d.sopUid()));
    if (done.instances() > 0) deletesRedone++;
  }

  private void flush() {
    if (pending.isEmpty()) return;
    List<IndexOutcome> outcomes = index.storeAll(pending);
    for (int i = 0; i < pending.size(); i++) {
      IndexOutcome outcome = outcomes.get(i);
      if (outcome instanceof IndexOutcome.Created || outcome instanceof IndexOutcome.Replaced) {
        restored++;
      } else {
        log.warn("recovery: journaled instance {} not indexed again ({})", pending.get(i).blobKey(), outcome);
      }
    }
    pending.clear();
  }
}
