package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where instance bytes live. Keys are opaque names the store makes itself (never UIDs), so
 * nothing a client sends ever becomes a path.
 */
public interface BlobStore extends java.io.Closeable {

  /**
   * Starts a new blob; bytes go to a staging area until {@link #publishAll}. Where it will be
   * published is decided by {@link BlobWriter#place} once its content is known.
   */
  BlobWriter create() throws IOException;

  /**
   * Makes the blobs durable under their keys: waits for their data and staging names to be on disk,
   * then links them into their final place. The final names become durable after {@link BlobWriter#confirm()};
   * until then the staging names keep the blobs (see {@link #restore}).
   */
  void publishAll(List<? extends BlobWriter> writers) throws IOException;

  /** Opens a published blob for streaming. */
  InputStream open(String key) throws IOException;

  /**
   * The blob opened now, for reading at any position: it stays readable until closed even if the
   * blob is deleted meanwhile (a retrieve racing a delete either reads it whole or fails at once).
   */
  FileChannel openChannel(String key) throws IOException;

  long size(String key) throws IOException;

  /**
   * Keeps derived metadata (the instance's DICOM JSON) beside a published blob, replacing it whole (a
   * concurrent reader sees the old document or the new one). Not synced: it can always be rebuilt from
   * the blob, so a crash that loses it loses nothing.
   */
  void writeMetadata(String key, byte[] document) throws IOException;

  /** The metadata document of a blob; NoSuchFileException when it is missing. */
  InputStream openMetadata(String key) throws IOException;

  /** Removes a published blob and its metadata; absent is not an error (deletion is retried after crashes). */
  void delete(String key) throws IOException;

  /**
   * After a crash, before anything reads the index: links again, from its staging entry, each blob whose final
   * name a power loss took (names are made durable after the acknowledgement, see {@link BlobWriter#confirm()}),
   * and renames again a staging entry whose {@link BlobWriter#place} rename was lost, its placement read again
   * from the content. Blobs never committed may come back too; {@link #recover} then removes them. Returns how
   * many were linked.
   */
  int restore(Placement placement) throws IOException;

  /** Where a blob was placed ({@link BlobWriter#place}), read again from its content; null if it cannot tell. */
  @FunctionalInterface
  interface Placement {
    String of(Content staged, long size) throws IOException;
  }

  /** A staged blob's bytes, opened as often as needed. */
  @FunctionalInterface
  interface Content {
    InputStream open() throws IOException;
  }

  /**
   * After a crash: discards staged blobs that were never published, and for published ones
   * still marked in-flight asks {@code committed} whether the index references them; those it
   * does not are deleted, those it does stay (their final names synced first). Returns how many blobs were removed.
   */
  int recover(Predicate<String> committed) throws IOException;

  /** Syncs the final names still pending; nothing is published after. */
  @Override
  void close() throws IOException;

  /** Throws when the store cannot be written (health check). */
  void checkWritable() throws IOException;

  /** Bytes new blobs may still take (a file system's usable space). */
  long usableSpace() throws IOException;
}
