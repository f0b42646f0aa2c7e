package dev.atrium.index;

import dev.atrium.query.PersonNameKey;

import static dev.atrium.index.schema.Tables.BLOB_GARBAGE;
import static dev.atrium.index.schema.Tables.CHANGE_FEED;
import static dev.atrium.index.schema.Tables.DATA_PARTITION;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.PATIENT;
import static dev.atrium.index.schema.Tables.SERIES;
import static dev.atrium.index.schema.Tables.STUDY;

import dev.atrium.dicom.DicomHeader;
import dev.atrium.index.schema.tables.records.InstanceRecord;
import dev.atrium.index.schema.tables.records.PatientRecord;
import dev.atrium.index.schema.tables.records.SeriesRecord;
import dev.atrium.index.schema.tables.records.StudyRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Writes one instance into the index in one transaction: patient, study and series rows
 * (created or updated), the instance row, the computed counts, and the change-feed entry.
 * Locks are always taken in the order patient, study, series, instance, counter.
 */
public final class InstanceIndex {
  public enum OnDuplicate { KEEP, REPLACE }

  private final Database db;
  private final ExtendedTagIndex extendedTags;
  private final ExtendedValue.Reader extendedValues;
  private final StoreStatements statements;
  private final KnownSeriesCache seriesCache;

  /** Extended query tags that are Adding or Ready are indexed in the same transaction. */
  public InstanceIndex(Database db, ExtendedTagIndex extendedTags, ExtendedValue.Reader extendedValues) {
    this.db = db;
    this.extendedTags = extendedTags;
    this.extendedValues = extendedValues;
    this.statements = new StoreStatements(db.dsl());
    this.seriesCache = new KnownSeriesCache(db.embedded());
  }

  /** Forgets what the writer remembers of stored rows: for anything that changes them besides {@link #storeAll}. */
  public void forgetCached() {
    seriesCache.clear();
  }

  /**
   * One instance to index: where it goes, its header, where its bytes are (with their CRC32C, which the journal
   * keeps), what a duplicate does.
   */
  public record Entry(String partition, DicomHeader header, String blobKey, long blobSize, long blobChecksum,
      OnDuplicate onDuplicate) {}

  /**
   * Runs inside a store transaction once its statements are written, before the commit: given what each entry
   * became (its sequence), it returns once the blobs the rows name are durable in their places, and throws
   * {@link BlobsNotDurableException} when they will not be (or any exception that must roll the transaction back).
   */
  @FunctionalInterface
  public interface BlobsDurable {
    void await(List<IndexOutcome> outcomes);
  }

  /**
   * All in one transaction (one commit, one flush to disk); outcomes in the same order. The
   * per-instance work is the duplicate check, the parents and the instance row; what many
   * instances of a batch share is written once at the end: series and study counts (in key order,
   * so concurrent writers lock them in one order) and the change-feed rows with one counter update.
   * The commit is held until {@code durable} returns: the statements run while the blobs are still
   * being made durable, and no row is committed before its blob is (rule 2).
   */
  public List<IndexOutcome> storeAll(List<Entry> entries, BlobsDurable durable) {
    List<ExtendedTag> tags = extendedTags.active();
    try {
      return Transactions.withRetry(db.dsl(), tx -> tx.dsl().connectionResult(connection -> {
        Batch batch = new Batch(tx.dsl(), connection, statements);
        List<Object> results = new ArrayList<>(entries.size());
        try {
          for (Entry e : entries) {
            results.add(storeIn(batch, e.partition(), e.header(), e.blobKey(), e.blobSize(), e.onDuplicate(), tags));
          }
          batch.finish();
          List<IndexOutcome> outcomes = new ArrayList<>(results.size());
          for (Object r : results) outcomes.add(r instanceof Change c ? c.outcome() : (IndexOutcome) r);
          durable.await(outcomes); // throws, rolling the transaction back, when a blob could not be made durable
          return outcomes;
        } catch (RuntimeException e) {
          seriesCache.clear(); // it may name rows of this transaction, which rolls back (and may be retried)
          throw e;
        }
      }));
    } catch (RuntimeException e) {
      seriesCache.clear(); // the commit itself failed
      throw e;
    }
  }

  /** The sequence the next change will take, as the counter holds it now. */
  public long nextSequence() {
    return db.dsl().connectionResult(statements::nextSequence);
  }

  /** A change-feed row to write; its outcome once the batch has given it a sequence. */
  private static final class Change {
    final String partition;
    final DicomHeader header;
    final String action;
    final LocalDateTime at;
    final String replacedBlob;
    long sequence = -1;

    Change(String partition, DicomHeader header, String action, LocalDateTime at, String replacedBlob) {
      this.partition = partition;
      this.header = header;
      this.action = action;
      this.at = at;
      this.replacedBlob = replacedBlob;
    }

    IndexOutcome outcome() {
      return replacedBlob == null ? new IndexOutcome.Created(sequence) : new IndexOutcome.Replaced(sequence, replacedBlob);
    }
  }

  /** What a transaction's instances add up to, written by {@link #finish}. */
  private static final class Batch {
    final DSLContext dsl;
    /** The transaction's own connection, for the {@link StoreStatements}. */
    final Connection connection;
    final StoreStatements statements;
    final Map<Long, Integer> seriesAdded = new TreeMap<>();
    final Map<Long, Integer> studyAdded = new TreeMap<>();
    final List<Change> changes = new ArrayList<>();

    Batch(DSLContext dsl, Connection connection, StoreStatements statements) {
      this.dsl = dsl;
      this.connection = connection;
      this.statements = statements;
    }

    void finish() {
      statements.addInstances(connection, seriesAdded, studyAdded);
      writeChanges();
    }

    /**
     * Last in the transaction (or before a replace marks older rows): the counter row lock makes
     * sequence order equal commit order, and one update reserves a sequence for every change.
     */
    void writeChanges() {
      if (changes.isEmpty()) return;
      int n = changes.size();
      long first = statements.reserveSequences(connection, n);
      List<Object[]> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Change c = changes.get(i);
        c.sequence = first + i;
        DicomHeader h = c.header;
        rows.add(new Object[] {c.sequence, c.partition, h.studyInstanceUid(), h.seriesInstanceUid(),
            h.sopInstanceUid(), c.action, "current", c.at});
      }
      statements.insertChanges(connection, rows);
      changes.clear();
    }
  }

  /** An IndexOutcome, or a Change whose outcome waits for its sequence. */
  private Object storeIn(Batch batch, String partition, DicomHeader h, String blobKey, long blobSize,
      OnDuplicate onDuplicate, List<ExtendedTag> tags) {
    DSLContext dsl = batch.dsl;
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    var sameInstance = INSTANCE.PARTITION_NAME.eq(partition).and(INSTANCE.SOP_INSTANCE_UID.eq(h.sopInstanceUid()));
    InstanceRecord existing = null;
    if (onDuplicate == OnDuplicate.REPLACE) {
      existing = dsl.selectFrom(INSTANCE).where(sameInstance).forUpdate().fetchOne();
    }
    StoreStatements.KnownSeries known = knownSeries(batch, partition, h);
    // The common case, a new instance of a known series whose patient is unchanged, writes nothing before the
    // instance row: there the unique key tells a duplicate, and one query fewer runs per instance.
    boolean newDemographics = known != null && demographicsChanged(known, h);
    boolean keyTellsDuplicate = onDuplicate == OnDuplicate.KEEP && known != null && !newDemographics;
    if (onDuplicate == OnDuplicate.KEEP && !keyTellsDuplicate
        && batch.statements.instanceExists(batch.connection, partition, h.sopInstanceUid())) {
      return new IndexOutcome.Duplicate();
    }

    Parents parents;
    if (known != null) {
      if (newDemographics) upsertPatient(dsl, partition, h, now); // corrected by a later instance
      parents = new Parents(known.seriesPk(), known.studyPk());
    } else {
      PatientRecord patient = upsertPatient(dsl, partition, h, now);
      StudyRecord study = upsertStudy(dsl, partition, patient, h, now);
      SeriesRecord series = upsertSeries(dsl, partition, study, h, now);
      parents = series == null ? null : new Parents(series.getPk(), study.getPk());
    }
    if (parents == null) {
      return new IndexOutcome.Conflict("series " + h.seriesInstanceUid() + " is stored under another study than "
          + h.studyInstanceUid());
    }
    if (existing != null) {
      if (!existing.getSeriesPk().equals(parents.seriesPk())) {
        return new IndexOutcome.Conflict("instance " + h.sopInstanceUid() + " is stored in another series");
      }
      seriesCache.clear(); // the study may move to another patient
      String oldBlob = existing.getBlobKey();
      fillInstance(existing, h, blobKey, blobSize, now).update();
      replaceParentAttributes(dsl, partition, h, parents, now);
      indexExtended(dsl, tags, h, new ExtendedValueWriter.Keys(existing.getPk(), parents.seriesPk(),
          parents.studyPk()), true);
      dsl.insertInto(BLOB_GARBAGE).set(BLOB_GARBAGE.BLOB_KEY, oldBlob).set(BLOB_GARBAGE.CREATED_AT, now).execute();
      batch.writeChanges(); // an earlier change of this batch may be the row marked replaced here
      dsl.update(CHANGE_FEED).set(CHANGE_FEED.STATE, "replaced")
          .where(CHANGE_FEED.PARTITION_NAME.eq(partition), CHANGE_FEED.SOP_INSTANCE_UID.eq(h.sopInstanceUid()),
              CHANGE_FEED.STATE.eq("current"))
          .execute();
      return added(batch, new Change(partition, h, "update", now, oldBlob));
    }
    InstanceRecord instance = new InstanceRecord();
    instance.setPartitionName(partition);
    instance.setSeriesPk(parents.seriesPk());
    instance.setSopInstanceUid(h.sopInstanceUid());
    instance.setCreatedAt(now);
    fillInstance(instance, h, blobKey, blobSize, now);
    long pk;
    try {
      // The generated key is read back only when extended query tags need it.
      pk = batch.statements.insertInstance(batch.connection, instance, !tags.isEmpty());
    } catch (DataAccessException e) {
      // Only the statement fails (H2 and MariaDB alike): the transaction and the batch's other instances go on.
      if (keyTellsDuplicate && isDuplicateKey(e)) return new IndexOutcome.Duplicate();
      throw e;
    }
    indexExtended(dsl, tags, h, new ExtendedValueWriter.Keys(pk, parents.seriesPk(), parents.studyPk()), false);
    batch.seriesAdded.merge(parents.seriesPk(), 1, Integer::sum);
    batch.studyAdded.merge(parents.studyPk(), 1, Integer::sum);
    return added(batch, new Change(partition, h, "create", now, null));
  }

  /** A unique key violated: H2's error 23505, MariaDB's 1062. */
  private static boolean isDuplicateKey(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return sql != null && (sql.getErrorCode() == 23505 || sql.getErrorCode() == 1062);
  }

  /**
   * An overwrite replaces an instance to correct it: its patient, study and series attributes become those of the
   * series, study and patient, as its extended query tag values do, so that a query finds what a retrieve returns.
   * A new Patient ID moves the study to that patient (a patient left without studies goes).
   */
  private void replaceParentAttributes(DSLContext dsl, String partition, DicomHeader h, Parents parents,
      LocalDateTime now) {
    dsl.update(SERIES)
        .set(SERIES.MODALITY, truncate(h.modality(), 16))
        .set(SERIES.SERIES_NUMBER, h.seriesNumber())
        .set(SERIES.SERIES_DESCRIPTION, truncate(h.seriesDescription(), 64))
        .set(SERIES.BODY_PART_EXAMINED, truncate(h.bodyPartExamined(), 16))
        .set(SERIES.PPS_START_DATE, h.performedProcedureStepStartDate())
        .set(SERIES.PPS_START_TIME, h.performedProcedureStepStartTime())
        .set(SERIES.UPDATED_AT, now)
        .where(SERIES.PK.eq(parents.seriesPk())).execute();
    PatientRecord patient = upsertPatient(dsl, partition, h, now);
    Long formerPatient = dsl.select(STUDY.PATIENT_PK).from(STUDY).where(STUDY.PK.eq(parents.studyPk()))
        .fetchOne(STUDY.PATIENT_PK);
    dsl.update(STUDY)
        .set(STUDY.PATIENT_PK, patient.getPk())
        .set(STUDY.STUDY_DATE, h.studyDate())
        .set(STUDY.STUDY_TIME, h.studyTime())
        .set(STUDY.ACCESSION_NUMBER, truncate(h.accessionNumber(), 64))
        .set(STUDY.STUDY_ID, truncate(h.studyId(), 16))
        .set(STUDY.STUDY_DESCRIPTION, truncate(h.studyDescription(), 64))
        .set(STUDY.REFERRING_PHYSICIAN_NAME, truncate(h.referringPhysicianName(), 400))
        .set(STUDY.REFERRING_PHYSICIAN_NORM, normalizeName(h.referringPhysicianName()))
        .set(STUDY.MODALITIES_IN_STUDY, StudyModalities.of(dsl, parents.studyPk()))
        .set(STUDY.UPDATED_AT, now)
        .where(STUDY.PK.eq(parents.studyPk())).execute();
    if (formerPatient != null && !formerPatient.equals(patient.getPk())) dropIfWithoutStudies(dsl, formerPatient);
  }

  /** A patient exists while it has studies: Patient Root C-FIND at PATIENT level would find it still. */
  static void dropIfWithoutStudies(DSLContext dsl, long patientPk) {
    dsl.deleteFrom(PATIENT).where(PATIENT.PK.eq(patientPk),
        DSL.notExists(DSL.selectOne().from(STUDY).where(STUDY.PATIENT_PK.eq(patientPk)))).execute();
  }

  private static Change added(Batch batch, Change change) {
    batch.changes.add(change);
    return change;
  }

  private record Parents(long seriesPk, long studyPk) {}

  private void indexExtended(DSLContext dsl, List<ExtendedTag> tags, DicomHeader h, ExtendedValueWriter.Keys keys,
      boolean replaced) {
    if (tags.isEmpty()) return;
    ExtendedValueWriter.write(dsl, keys, extendedValues.read(h.metadataJson(), tags), replaced);
  }

  /**
   * The common case, an instance of a series already stored: one query (or none, when cached) finds series, study
   * and patient. Null when the series is new. A series under another study is a conflict (PS3.3: a series belongs
   * to one study), reported by the slow path's checks.
   */
  private StoreStatements.KnownSeries knownSeries(Batch batch, String partition, DicomHeader h) {
    StoreStatements.KnownSeries known = seriesCache.get(partition, h.seriesInstanceUid());
    if (known == null) {
      known = batch.statements.knownSeries(batch.connection, partition, h.seriesInstanceUid());
      if (known == null) return null;
      seriesCache.put(partition, h.seriesInstanceUid(), known);
    }
    return known.studyInstanceUid().equals(h.studyInstanceUid()) ? known : null;
  }

  /** The instance names the series' patient, with other demographics (an existing study keeps its patient). */
  private static boolean demographicsChanged(StoreStatements.KnownSeries known, DicomHeader h) {
    return known.patientId().equals(truncate(nullToEmpty(h.patientId()), 64))
        && !(Objects.equals(known.patientName(), h.patientName())
            && Objects.equals(known.patientBirthDate(), h.patientBirthDate())
            && Objects.equals(known.patientSex(), h.patientSex()));
  }

  private PatientRecord upsertPatient(DSLContext dsl, String partition, DicomHeader h, LocalDateTime now) {
    String patientId = truncate(nullToEmpty(h.patientId()), 64);
    String issuer = truncate(nullToEmpty(h.issuerOfPatientId()), 64);
    PatientRecord p = dsl.selectFrom(PATIENT)
        .where(PATIENT.PARTITION_NAME.eq(partition), PATIENT.PATIENT_ID.eq(patientId),
            PATIENT.ISSUER_OF_PATIENT_ID.eq(issuer))
        .fetchOne();
    if (p == null) {
      p = dsl.newRecord(PATIENT);
      p.setPartitionName(partition);
      p.setPatientId(patientId);
      p.setIssuerOfPatientId(issuer);
      p.setCreatedAt(now);
    } else if (Objects.equals(p.getPatientName(), h.patientName())
        && Objects.equals(p.getPatientBirthDate(), h.patientBirthDate())
        && Objects.equals(p.getPatientSex(), h.patientSex())) {
      return p; // the common case: nothing to write
    }
    // The latest instance's demographics win (a corrected name arrives with a later study).
    p.setPatientName(truncate(h.patientName(), 400));
    p.setPatientNameNorm(normalizeName(h.patientName()));
    p.setPatientBirthDate(h.patientBirthDate());
    p.setPatientSex(truncate(h.patientSex(), 16));
    p.setUpdatedAt(now);
    if (p.getPk() != null) seriesCache.clear(); // its cached series hold the former demographics
    p.store();
    return p;
  }

  /** An existing study keeps its patient: later instances with other demographics join it as is. */
  private static StudyRecord upsertStudy(DSLContext dsl, String partition, PatientRecord patient, DicomHeader h,
      LocalDateTime now) {
    StudyRecord s = dsl.selectFrom(STUDY)
        .where(STUDY.PARTITION_NAME.eq(partition), STUDY.STUDY_INSTANCE_UID.eq(h.studyInstanceUid()))
        .fetchOne();
    if (s != null) return s;
    // A new study may be the first of its partition (GET /partitions lists it from now on).
    dsl.insertInto(DATA_PARTITION, DATA_PARTITION.PARTITION_NAME, DATA_PARTITION.CREATED_AT)
        .values(partition, now).onDuplicateKeyIgnore().execute();
    s = dsl.newRecord(STUDY);
    s.setPartitionName(partition);
    s.setPatientPk(patient.getPk());
    s.setStudyInstanceUid(h.studyInstanceUid());
    s.setStudyDate(h.studyDate());
    s.setStudyTime(h.studyTime());
    s.setAccessionNumber(truncate(h.accessionNumber(), 64));
    s.setStudyId(truncate(h.studyId(), 16));
    s.setStudyDescription(truncate(h.studyDescription(), 64));
    s.setReferringPhysicianName(truncate(h.referringPhysicianName(), 400));
    s.setReferringPhysicianNorm(normalizeName(h.referringPhysicianName()));
    s.setModalitiesInStudy(null);
    s.setNumberOfSeries(0);
    s.setNumberOfInstances(0);
    s.setCreatedAt(now);
    s.setUpdatedAt(now);
    s.insert();
    return s;
  }

  /** Null when the series exists under another study. */
  private static SeriesRecord upsertSeries(DSLContext dsl, String partition, StudyRecord study, DicomHeader h,
      LocalDateTime now) {
    SeriesRecord s = dsl.selectFrom(SERIES)
        .where(SERIES.PARTITION_NAME.eq(partition), SERIES.SERIES_INSTANCE_UID.eq(h.seriesInstanceUid()))
        .fetchOne();
    if (s != null) return s.getStudyPk().equals(study.getPk()) ? s : null;
    s = dsl.newRecord(SERIES);
    s.setPartitionName(partition);
    s.setStudyPk(study.getPk());
    s.setSeriesInstanceUid(h.seriesInstanceUid());
    s.setModality(truncate(h.modality(), 16));
    s.setSeriesNumber(h.seriesNumber());
    s.setSeriesDescription(truncate(h.seriesDescription(), 64));
    s.setBodyPartExamined(truncate(h.bodyPartExamined(), 16));
    s.setPpsStartDate(h.performedProcedureStepStartDate());
    s.setPpsStartTime(h.performedProcedureStepStartTime());
    s.setNumberOfInstances(0);
    s.setCreatedAt(now);
    s.setUpdatedAt(now);
    s.insert();
    // Computed study attributes are kept at store time (PS3.18 10.6.3.3.1), not counted per query.
    String modalities = withModality(study.getModalitiesInStudy(), s.getModality());
    dsl.update(STUDY)
        .set(STUDY.NUMBER_OF_SERIES, STUDY.NUMBER_OF_SERIES.plus(1))
        .set(STUDY.MODALITIES_IN_STUDY, modalities)
        .set(STUDY.UPDATED_AT, now)
        .where(STUDY.PK.eq(study.getPk()))
        .execute();
    return s;
  }

  private static InstanceRecord fillInstance(InstanceRecord r, DicomHeader h, String blobKey, long size,
      LocalDateTime now) {
    r.setSopClassUid(h.sopClassUid());
    r.setInstanceNumber(h.instanceNumber());
    r.setTransferSyntaxUid(h.transferSyntaxUid());
    r.setPixelRows(h.rows());
    r.setPixelColumns(h.columns());
    r.setBitsAllocated(h.bitsAllocated());
    r.setNumberOfFrames(h.numberOfFrames());
    r.setBlobKey(blobKey);
    r.setBlobSize(size);
    r.setUpdatedAt(now);
    return r;
  }

  static String withModality(String modalities, String modality) {
    if (modality == null || modality.isBlank()) return modalities;
    if (modalities == null || modalities.isEmpty()) return modality;
    if (Arrays.asList(modalities.split("\\\\")).contains(modality)) return modalities;
    String joined = modalities + "\\" + modality;
    return joined.length() <= 256 ? joined : modalities;
  }

  /** The key person names are matched by: case and Latin accents ignored ({@link PersonNameKey}). */
  static String normalizeName(String name) {
    return name == null ? null : truncate(PersonNameKey.of(name), 400);
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
