package dev.atrium.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One blob being written. Order of use: write {@link #output()}, read it back with
 * {@link #openStaged()} to inspect, {@link BlobStore#publishAll} (durable, linked in its final place), commit
 * the index, {@link #confirm()}. {@link #close()} before confirm undoes everything.
 */
public interface BlobWriter extends Closeable {

  String key();

  OutputStream output();

  /** Bytes written so far (after the output is closed: the blob's size). */
  long size();

  /** CRC32C of the bytes written so far: after a crash, tells a whole blob from one cut short. */
  long checksum();

  InputStream openStaged() throws IOException;

  /**
   * All bytes are written: start forcing them to disk in the background, so the wait overlaps
   * whatever the caller does next (parsing, validating). Publishing waits for it.
   */
  void startSync() throws IOException;

  /**
   * Publish beside the other blobs of {@code placement} (the store passes the study): a study's
   * files share a directory, so storing a study creates (and syncs) one new directory rather than
   * one per instance, and reading it back stays local. Changes {@link #key()}; call before publishing.
   * The placement must follow from the content: recovery derives it again ({@link BlobStore#restore}).
   */
  void place(String placement) throws IOException;

  /**
   * The index now references the blob: it stays when this writer is closed. Its final name is made durable
   * shortly after (one directory sync for every blob of a study confirmed meanwhile), and only then is its
   * staging entry removed.
   */
  void confirm() throws IOException;

  /** Discards the blob unless confirmed. */
  @Override
  void close() throws IOException;
}
