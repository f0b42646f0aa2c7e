package dev.atrium.retrieve;

import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.index.StoredInstance;
import dev.atrium.storage.PositionalInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * A stored instance whose file is held open: every stream opened from it reads the bytes as they
 * were when it was pinned, even if the instance is deleted meanwhile. A sub-operation or a part
 * pins its instance before anything is sent, so a concurrent delete fails it cleanly or not at all.
 */
public final class PinnedInstance implements DicomHeaderReader.Source, AutoCloseable {
  private final StoredInstance instance;
  private final FileChannel channel;

  PinnedInstance(StoredInstance instance, FileChannel channel) {
    this.instance = instance;
    this.channel = channel;
  }

  public StoredInstance instance() {
    return instance;
  }

  /** The open file, for sending the stored bytes as they are without copying them through the heap. */
  public FileChannel channel() {
    return channel;
  }

  @Override
  public InputStream open() {
    return new PositionalInputStream(channel);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
