package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's file format and life cycle, on real files. */
class IndexJournalTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void whatWasSyncedIsReadBackAfterAnUncleanStop() throws IOException {
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(stored(7, "DEFAULT", KEY, false),
          stored(8, "tenant-2", KEY.replace('0', 'f'), true)));
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(stored(7, "DEFAULT", KEY, false),
          stored(8, "tenant-2", KEY.replace('0', 'f'), true));
      assertThat(reopened.leftOver(7)).as("only what the index no longer has")
          .containsExactly(stored(8, "tenant-2", KEY.replace('0', 'f'), true));
    }
  }

  @Test
  void aChecksumWithLeadingZeroDigitsIsReadBackAsWritten() throws IOException {
    IndexJournal.Stored small = new IndexJournal.Stored(3, "DEFAULT", KEY, false, 17, 0xabL);
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(small));
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(small);
    }
  }

  @Test
  void aWithdrawnStoreIsNotMadeAgainButALaterStoreUnderItsSequenceIs() throws IOException {
    String other = KEY.replace('1', 'e');
    try (IndexJournal journal = IndexJournal.open(dir)) {
      IndexJournal.Stored rolledBack = stored(5, "DEFAULT", KEY, false);
      journal.append(List.of(rolledBack));
      journal.append(List.of(rolledBack.withdrawn(), stored(5, "DEFAULT", other, false))); // the sequence reused
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(stored(5, "DEFAULT", other, false));
    }
  }

  /**
   * A transaction that rolled back and was tried again journals the same line after withdrawing it: the second line
   * is the committed store and is made again. The withdrawal used to cancel both, losing an acknowledged instance.
   */
  @Test
  void aWithdrawalCancelsOnlyTheLinesBeforeIt() throws IOException {
    IndexJournal.Stored line = stored(7, "DEFAULT", KEY, false);
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(line));
      journal.append(List.of(line.withdrawn(), line)); // the retry: same sequence, same blob
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(line);
    }
  }

  @Test
  void aLineOfAnEarlierVersionWithoutSizeAndChecksumIsReadAsCheckedAtItsCommit() throws IOException {
    Files.writeString(dir.resolve("journal-3.log"), "4\tDEFAULT\t" + KEY + "\tR\n", StandardCharsets.US_ASCII);
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(
          new IndexJournal.Stored(4, "DEFAULT", KEY, true, -1, IndexJournal.Stored.CHECKED_AT_COMMIT));
    }
  }

  @Test
  void deletesAreRecordedWithWhatTheyNamed() throws IOException {
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(new IndexJournal.Deletion(9, "DEFAULT", "1.2.3", null, null),
          new IndexJournal.Deletion(12, "DEFAULT", "1.2.3", "1.2.3.4", "1.2.3.4.5")));
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).containsExactly(new IndexJournal.Deletion(9, "DEFAULT", "1.2.3", null, null),
          new IndexJournal.Deletion(12, "DEFAULT", "1.2.3", "1.2.3.4", "1.2.3.4.5"));
    }
  }

  @Test
  void aLineCutShortByACrashIsNotARecord() throws IOException {
    Path segment;
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(stored(1, "DEFAULT", KEY, false)));
      journal.sync();
      segment = segments().get(0);
    }
    Files.writeString(segment, "2\tDEFAULT\t0123", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).extracting(IndexJournal.Record::sequence).containsExactly(1L);
    }
  }

  @Test
  void linesTheIndexHoldsArePassedOverAndMalformedOnesSkippedWherever() throws IOException {
    try (IndexJournal journal = IndexJournal.open(dir)) {
      for (long sequence = 1; sequence <= 5; sequence++) {
        journal.append(List.of(stored(sequence, "DEFAULT", KEY, false)));
      }
      journal.sync();
    }
    Path segment = segments().get(0);
    Files.writeString(segment, "garbage\n2\tDEFAULT\tnot-a-key\tK\n", StandardCharsets.US_ASCII,
        StandardOpenOption.APPEND);
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(3)).extracting(IndexJournal.Record::sequence).containsExactly(4L, 5L);
      assertThat(reopened.leftOver(0)).extracting(IndexJournal.Record::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void aStopKeepsTheJournalUntilTheNextStartHasReplayedIt() throws IOException {
    try (IndexJournal journal = IndexJournal.open(dir)) {
      journal.append(List.of(stored(1, "DEFAULT", KEY, false)));
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(segments()).hasSize(2);
      assertThat(reopened.leftOver(0)).as("whatever the index lacks after the stop").hasSize(1);
      assertThat(reopened.leftOver(1)).as("nothing when the index holds it").isEmpty();
      reopened.replayed();
      assertThat(segments()).as("the new segment only").hasSize(1);
    }
    assertThat(segments()).as("a stop deletes nothing").hasSize(1);
    try (IndexJournal afterStop = IndexJournal.open(dir)) {
      assertThat(afterStop.leftOver(0)).isEmpty();
    }
  }

  @Test
  void dropsFullSegmentsOnlyOnceTheIndexFileIsSynced() throws IOException {
    try (IndexJournal journal = IndexJournal.open(dir, 200)) { // about four records per segment
      for (long sequence = 1; sequence <= 20; sequence++) {
        journal.append(List.of(stored(sequence, "DEFAULT", KEY, false)));
      }
      journal.sync();
      assertThat(segments().size()).as("no index sync yet: every record kept").isGreaterThanOrEqualTo(5);
      journal.indexSynced(); // the index file holds sequences 1-20
      for (long sequence = 21; sequence <= 22; sequence++) {
        journal.append(List.of(stored(sequence, "DEFAULT", KEY, false)));
      }
      journal.sync();
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(segments().size()).isLessThanOrEqualTo(2); // the segment in use at the sync, and the one just begun
      assertThat(reopened.leftOver(0)).extracting(IndexJournal.Record::sequence).last().isEqualTo(22L);
      assertThat(reopened.leftOver(0)).extracting(IndexJournal.Record::sequence).contains(21L).doesNotContain(1L);
    }
  }

  /**
   * Stores journal their lines from several threads while a sync runs: an append must not wait for a sync that
   * started before it (it would wait one flush for nothing, then another for its own), and a sync requested for
   * appends that an earlier sync covered returns without a flush of its own.
   */
  @Test
  void anAppendDoesNotWaitForARunningSyncAndASyncCoveredAlreadyFlushesNothing() throws Exception {
    java.util.concurrent.atomic.AtomicInteger forces = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch forcing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (IndexJournal journal = IndexJournal.open(dir, IndexJournal.SEGMENT_BYTES, segment -> {
      if (forces.incrementAndGet() == 1) {
        forcing.countDown();
        try {
          release.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      segment.force(false);
    })) {
      journal.append(List.of(stored(1, "DEFAULT", KEY, false)));
      long first = journal.appended();
      var syncing = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          journal.syncCovering(first);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(forcing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      var appending = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          journal.append(List.of(stored(2, "DEFAULT", KEY, false)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      appending.get(10, java.util.concurrent.TimeUnit.SECONDS); // not behind the held flush
      assertThat(syncing).isNotDone();
      release.countDown();
      syncing.get(30, java.util.concurrent.TimeUnit.SECONDS);

      journal.syncCovering(first);
      assertThat(forces).as("covered by the first flush").hasValue(1);
      journal.sync(); // the second line was appended after the first flush began
      assertThat(forces).hasValue(2);
      journal.syncCovering(journal.appended());
      assertThat(forces).hasValue(2);
    }
    try (IndexJournal reopened = IndexJournal.open(dir)) {
      assertThat(reopened.leftOver(0)).extracting(IndexJournal.Record::sequence).containsExactly(1L, 2L);
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("journal-")).sorted().toList();
    }
  }

  private static IndexJournal.Stored stored(long sequence, String partition, String key, boolean replace) {
    return new IndexJournal.Stored(sequence, partition, key, replace, 40_123, 0xfedcba98L);
  }
}
