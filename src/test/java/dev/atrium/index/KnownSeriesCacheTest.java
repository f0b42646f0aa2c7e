package dev.atrium.index;

import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.support.TestInstances;
import dev.atrium.tags.ExtendedValueParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded index's writer remembers the series it stored into, and lets the unique key tell a duplicate of a
 * known series: what a client sees must not change. Real H2 with its journal, as the archive runs it.
 */
class KnownSeriesCacheTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void theSameInstanceTwiceInOneTransactionIsStoredOnceAndTheOtherIsADuplicate() throws Exception {
    TestInstances.Uids first = TestInstances.fresh();
    TestInstances.Uids again = sameSeries(first);
    try (Database db = open(); IndexJournal journal = journal(); GroupCommit writer = writer(db, journal)) {
      writer.storeAll(List.of(entry(first)));
      // The series is known now: both go into one transaction, where the second violates the unique key.
      List<IndexOutcome> outcomes = writer.storeAll(List.of(entry(again), entry(again)));

      assertThat(outcomes.get(0)).isInstanceOf(IndexOutcome.Created.class);
      assertThat(outcomes.get(1)).isInstanceOf(IndexOutcome.Duplicate.class);
      assertThat(db.dsl().fetchCount(INSTANCE, INSTANCE.SOP_INSTANCE_UID.eq(again.sop()))).isEqualTo(1);
      assertThat(db.dsl().fetchCount(CHANGE_FEED, CHANGE_FEED.SOP_INSTANCE_UID.eq(again.sop()))).isEqualTo(1);
      assertThat(db.dsl().select(SERIES.NUMBER_OF_INSTANCES).from(SERIES)
          .where(SERIES.SERIES_INSTANCE_UID.eq(first.series())).fetchOne().value1()).isEqualTo(2);
      // Sequences follow on without a gap, the duplicate taking none.
      assertThat(outcomes.get(0)).isEqualTo(new IndexOutcome.Created(sequenceOf(db, first.sop()) + 1));
    }
  }

  @Test
  void aSeriesDeletedBetweenStoresIsMadeAgain() throws Exception {
    TestInstances.Uids first = TestInstances.fresh();
    TestInstances.Uids later = sameSeries(first);
    try (Database db = open(); IndexJournal journal = journal(); GroupCommit writer = writer(db, journal)) {
      writer.storeAll(List.of(entry(first)));
      InstanceDeletion deletion = new InstanceDeletion(db);
      writer.exclusive(() -> deletion.delete("DEFAULT", first.study(), first.series(), null));
      assertThat(db.dsl().fetchCount(SERIES, SERIES.SERIES_INSTANCE_UID.eq(first.series()))).isZero();

      List<IndexOutcome> outcomes = writer.storeAll(List.of(entry(later)));

      assertThat(outcomes).singleElement().isInstanceOf(IndexOutcome.Created.class);
      assertThat(db.dsl().fetchCount(SERIES, SERIES.SERIES_INSTANCE_UID.eq(first.series()))).isEqualTo(1);
      assertThat(db.dsl().fetchCount(INSTANCE, INSTANCE.SOP_INSTANCE_UID.eq(later.sop()))).isEqualTo(1);
      // The delete took a sequence: the store after it takes the next, not one the writer guessed before.
      assertThat(((IndexOutcome.Created) outcomes.get(0)).sequence()).isEqualTo(sequenceOf(db, first.sop()) + 2);
    }
  }

  @Test
  void theLatestInstancesDemographicsWinThoughItsSeriesIsRemembered() throws Exception {
    String patient = "PAT-" + TestInstances.newUid();
    TestInstances.Uids a1 = TestInstances.fresh();
    TestInstances.Uids b1 = TestInstances.fresh();
    TestInstances.Uids a2 = sameSeries(a1);
    TestInstances.Uids a3 = sameSeries(a1);
    try (Database db = open(); IndexJournal journal = journal(); GroupCommit writer = writer(db, journal)) {
      writer.storeAll(List.of(entry(a1, person(patient, "Doe^Jane"))));
      writer.storeAll(List.of(entry(a2, person(patient, "Doe^Jane")))); // series A remembered, name Doe^Jane
      writer.storeAll(List.of(entry(b1, person(patient, "Roe^Jane")))); // another study renames the patient
      assertThat(patientName(db, patient)).isEqualTo("Roe^Jane");

      writer.storeAll(List.of(entry(a3, person(patient, "Doe^Jane")))); // series A again, with the former name

      assertThat(patientName(db, patient)).as("the latest instance's name, as without the cache")
          .isEqualTo("Doe^Jane");
    }
  }

  /** Another instance of the same series. */
  private static TestInstances.Uids sameSeries(TestInstances.Uids uids) {
    return new TestInstances.Uids(uids.study(), uids.series(), TestInstances.newUid());
  }

  private InstanceIndex.Entry entry(TestInstances.Uids uids) throws Exception {
    return entry(uids, Map.of());
  }

  private static Map<com.pixelmed.dicom.AttributeTag, String> person(String id, String name) {
    return Map.of(TagFromName.PatientID, id, TagFromName.PatientName, name);
  }

  private static String patientName(Database db, String patientId) {
    return db.dsl().select(PATIENT.PATIENT_NAME).from(PATIENT).where(PATIENT.PATIENT_ID.eq(patientId))
        .fetchOne().value1();
  }

  private static long sequenceOf(Database db, String sop) {
    return db.dsl().select(CHANGE_FEED.SEQ).from(CHANGE_FEED).where(CHANGE_FEED.SOP_INSTANCE_UID.eq(sop))
        .orderBy(CHANGE_FEED.SEQ).limit(1).fetchOne().value1();
  }

  private Database open() {
    return Database.open(new AtriumConfig.Db("", "", "", 2), dataDir);
  }

  private IndexJournal journal() throws Exception {
    return IndexJournal.open(dataDir.resolve("journal"));
  }

  private static GroupCommit writer(Database db, IndexJournal journal) {
    return new GroupCommit(new InstanceIndex(db, new ExtendedTagIndex(db), new ExtendedValueParser()),
        db.commitSync()::afterCommit, journal);
  }

  private InstanceIndex.Entry entry(TestInstances.Uids uids, Map<com.pixelmed.dicom.AttributeTag, String> values)
      throws Exception {
    Path part10 = TestInstances.ct(files, uids, values);
    DicomHeader header = DicomHeaderReader.read(() -> Files.newInputStream(part10), Files.size(part10));
    String key = String.format("%032x", uids.sop().hashCode() & 0xffffffffL) + System.nanoTime();
    return new InstanceIndex.Entry("DEFAULT", header, key, Files.size(part10), 0, InstanceIndex.OnDuplicate.KEEP);
  }
}
