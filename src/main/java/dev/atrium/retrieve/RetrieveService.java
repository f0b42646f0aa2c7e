package dev.atrium.retrieve;

import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.DicomStructure;
import dev.atrium.dicom.DicomUid;
import dev.atrium.dicom.FileMetaReader;
import dev.atrium.dicom.StoredFrames;
import dev.atrium.dicom.Transcoder;
import dev.atrium.dicom.UnsupportedTranscodingException;
import dev.atrium.index.InstanceLocator;
import dev.atrium.index.InstanceSelection;
import dev.atrium.index.StoredInstance;
import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * The one retrieve path: locate instances through the index, stream their bytes from the store.
 * Protocol adapters (WADO-RS, WADO-URI, C-MOVE, C-GET) all come through here, and all transcode through
 * {@link #writeAs}.
 */
public final class RetrieveService {
  private static final int COPY_BUFFER = 64 * 1024;
  private final InstanceLocator locator;
  private final BlobStore blobs;
  private final Path spoolDirectory;

  /** @param spoolDirectory where instances are transcoded before a C-STORE sub-operation sends them */
  public RetrieveService(InstanceLocator locator, BlobStore blobs, Path spoolDirectory) throws IOException {
    this.locator = locator;
    this.blobs = blobs;
    this.spoolDirectory = Files.createDirectories(spoolDirectory);
  }

  /** Throws {@link DicomUid.InvalidUidException} for a malformed UID: it never reaches SQL. */
  public Optional<StoredInstance> findInstance(String partition, String studyUid, String seriesUid, String sopUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    DicomUid.require(seriesUid, "SeriesInstanceUID");
    DicomUid.require(sopUid, "SOPInstanceUID");
    return locator.find(partition, studyUid, seriesUid, sopUid);
  }

  /** The first instance of a study, or of one series when {@code seriesUid} is not null: its representative. */
  public Optional<StoredInstance> firstInstance(String partition, String studyUid, String seriesUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    return locator.first(partition, studyUid, seriesUid);
  }

  /** A patient's representative instance: see {@link InstanceLocator#latestOfPatient}. */
  public Optional<StoredInstance> patientInstance(String partition, String patientId, String issuerOrNull) {
    return locator.latestOfPatient(partition, patientId, issuerOrNull);
  }

  /** Streams the instances of a study, or of one series when {@code seriesUid} is not null. */
  public void forEachInstance(String partition, String studyUid, String seriesUid,
      InstanceLocator.InstanceConsumer consumer) throws IOException {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    locator.forEach(partition, studyUid, seriesUid, consumer);
  }

  /** The transfer syntaxes the instances of a study or series are stored in. */
  public List<String> storedSyntaxes(String partition, String studyUid, String seriesUid) {
    DicomUid.require(studyUid, "StudyInstanceUID");
    if (seriesUid != null) DicomUid.require(seriesUid, "SeriesInstanceUID");
    return locator.transferSyntaxes(partition, studyUid, seriesUid);
  }

  /**
   * The instance's DICOM JSON as built at store time (its BulkDataURIs still carry the
   * placeholder {@link dev.atrium.dicom.DicomJsonEncoder#INSTANCE_URL}). The document is derived
   * data, written without an fsync: when it is missing or cut short (lost in a crash, or stored
   * before this existed) it is rebuilt from the instance and kept again.
   */
  public byte[] metadata(StoredInstance instance) throws IOException {
    byte[] kept = keptMetadata(instance.blobKey());
    if (kept != null) return kept;
    byte[] document;
    try {
      document = DicomHeaderReader.read(() -> blobs.open(instance.blobKey()), instance.blobSize()).metadataJson();
    } catch (DicomParseException e) {
      throw new IOException("stored instance " + instance.sopInstanceUid() + " cannot be read: " + e.getMessage(), e);
    }
    blobs.writeMetadata(instance.blobKey(), document);
    return document;
  }

  /**
   * The kept document, or null when there is none or only part of one: after a power loss a file
   * written just before can be empty or end mid-document, and a complete one is a JSON object.
   */
  private byte[] keptMetadata(String blobKey) throws IOException {
    try (InputStream in = blobs.openMetadata(blobKey)) {
      byte[] document = in.readAllBytes();
      return document.length >= 2 && document[0] == '{' && document[document.length - 1] == '}' ? document : null;
    } catch (NoSuchFileException missing) {
      return null;
    }
  }

  /**
   * Where a top-level element's value lies in the stored file, for /bulkdata; empty when the
   * instance has no such element.
   */
  /** The bytes of a value {@link #bulkData} located, from its first. */
  public InputStream openValue(StoredInstance instance, DicomStructure.ValueLocation value) throws IOException {
    return DicomHeaderReader.openValue(() -> blobs.open(instance.blobKey()), value);
  }

  public Optional<DicomStructure.ValueLocation> bulkData(StoredInstance instance, int tag) throws IOException {
    try {
      return Optional.ofNullable(DicomHeaderReader.locateValue(() -> blobs.open(instance.blobKey()),
          instance.blobSize(), tag));
    } catch (DicomParseException e) {
      throw new IOException("stored instance " + instance.sopInstanceUid() + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The instances a C-MOVE or C-GET takes (PS3.4 C.4.2.2.1), in study, series and instance order. Throws
   * {@link DicomUid.InvalidUidException} for a malformed UID and IllegalArgumentException for a Patient ID that
   * is not a single LO value: neither reaches SQL.
   */
  public List<StoredInstance> select(String partition, InstanceSelection selection) {
    if (selection.patientId() != null && (selection.patientId().isBlank() || selection.patientId().length() > 64)) {
      throw new IllegalArgumentException("PatientID must be 1 to 64 characters (LO, PS3.5 6.2)");
    }
    selection.studyUids().forEach(uid -> DicomUid.require(uid, "StudyInstanceUID"));
    selection.seriesUids().forEach(uid -> DicomUid.require(uid, "SeriesInstanceUID"));
    selection.sopInstanceUids().forEach(uid -> DicomUid.require(uid, "SOPInstanceUID"));
    return locator.select(partition, selection);
  }

  /** The File Meta Information of a pinned instance, and where its data set begins in the file. */
  public FileMetaReader.DataSet readMeta(PinnedInstance pinned) throws IOException {
    try (InputStream file = pinned.open()) {
      return FileMetaReader.read(file);
    } catch (DicomParseException e) {
      throw new IOException("stored instance " + pinned.instance().sopInstanceUid() + " cannot be read: "
          + e.getMessage(), e);
    }
  }

  /** The stored PS3.10 bytes, unchanged. */
  public InputStream open(StoredInstance instance) throws IOException {
    return blobs.open(instance.blobKey());
  }

  /**
   * By transfer syntax alone: whether an instance stored as {@code from} can be sent as {@code to}
   * ({@link #AS_STORED} always can). Exact per instance: {@link #checkTranscodable}.
   */
  public static boolean canTranscode(String from, String to) {
    return to.equals(AS_STORED) || Transcoder.canTranscode(from, to);
  }

  /** Why {@code from} cannot be sent as {@code to}, naming both syntaxes. */
  public static String whyNotTranscodable(String from, String to) {
    return Transcoder.whyNot(from, to);
  }

  /** "*": the transfer syntax each instance is stored in (PS3.18 8.7.3.5.2). */
  public static final String AS_STORED = "*";

  /** Checks, before anything is sent, that this instance can be sent as {@code to}. */
  public void checkTranscodable(StoredInstance instance, String to) throws IOException, UnsupportedTranscodingException {
    if (to.equals(AS_STORED)) return;
    try (PinnedInstance pinned = pin(instance)) {
      checkTranscodable(pinned, to);
    }
  }

  /** {@link #checkTranscodable(StoredInstance, String)} on an instance already pinned. */
  public void checkTranscodable(PinnedInstance pinned, String to) throws IOException, UnsupportedTranscodingException {
    if (to.equals(AS_STORED)) return;
    Transcoder.check(pinned, pinned.instance().transferSyntaxUid(), to);
  }

  /**
   * Opens the instance's file now and holds it: what is read through the result is the instance
   * as it is at this moment, deleted or not later. NoSuchFileException when it is already gone.
   */
  public PinnedInstance pin(StoredInstance instance) throws IOException {
    return new PinnedInstance(instance, blobs.openChannel(instance.blobKey()));
  }

  /**
   * Streams the instance in transfer syntax {@code to} ({@link #AS_STORED} for its stored bytes):
   * a PS3.10 file when {@code part10}, else the bare data set as a C-STORE sub-operation sends
   * it. Transcoding holds at most one decoded frame in memory (see {@link Transcoder}).
   */
  public void writeAs(StoredInstance instance, String to, OutputStream out, boolean part10)
      throws IOException, UnsupportedTranscodingException {
    try (PinnedInstance pinned = pin(instance)) {
      writeAs(pinned, to, out, part10);
    }
  }

  /** {@link #writeAs(StoredInstance, String, OutputStream, boolean)} from an instance already pinned. */
  public void writeAs(PinnedInstance pinned, String to, OutputStream out, boolean part10)
      throws IOException, UnsupportedTranscodingException {
    StoredInstance instance = pinned.instance();
    String target = to.equals(AS_STORED) ? instance.transferSyntaxUid() : to;
    if (part10 && target.equals(instance.transferSyntaxUid())) {
      try (InputStream in = pinned.open()) {
        byte[] buffer = new byte[COPY_BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
      }
      return;
    }
    try {
      Transcoder.transcode(pinned, target, out, part10, instance.sopClassUid(), instance.sopInstanceUid());
    } catch (DicomParseException e) {
      throw unreadable(instance, e);
    }
  }

  /**
   * The bare data set in transfer syntax {@code to}, written whole into a spool before anything is sent: a frame
   * that fails to decode fails here, not halfway through a sub-operation (see {@link TranscodedSpool}).
   */
  public TranscodedSpool spool(PinnedInstance pinned, String to) throws IOException, UnsupportedTranscodingException {
    return TranscodedSpool.write(spoolDirectory, out -> writeAs(pinned, to, out, false));
  }

  /** The instance's frames for /frames (PS3.18 10.4.1.1.5); empty when it has no Pixel Data. */
  public Optional<StoredFrames> frames(StoredInstance instance) throws IOException {
    try {
      return StoredFrames.open(() -> blobs.open(instance.blobKey()));
    } catch (DicomParseException e) {
      throw unreadable(instance, e);
    }
  }

  private static IOException unreadable(StoredInstance instance, DicomParseException e) {
    return new IOException("stored instance " + instance.sopInstanceUid() + " cannot be read: " + e.getMessage(), e);
  }
}
