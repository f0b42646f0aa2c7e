package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.CodecFixtures;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestInstances;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One frame of a large multi-frame file is served without reading the others: the bytes read
 * from the file (skips seek and are not reads) stay a small part of it, for native frames and
 * for encapsulated ones located through the offset table or a walk of the fragment headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoredFramesTest {
  private static final int FRAMES = 24;
  private static final int ROWS = 256;
  private static final int COLUMNS = 256;
  private static final int FRAME_BYTES = ROWS * COLUMNS * 2;

  private Path work;
  private Path nativeFile;
  private byte[] pixels;

  @BeforeAll
  void makeFixtures() throws Exception {
    work = Files.createTempDirectory("atrium-frames");
    nativeFile = CodecFixtures.multiFrame(work, TestInstances.fresh(), FRAMES, ROWS, COLUMNS, 12);
    pixels = CodecFixtures.pixelData(nativeFile);
  }

  @AfterAll
  void cleanUp() throws IOException {
    TempFiles.delete(work);
  }

  @Test
  void aNativeFrameIsReadAloneByArithmetic() throws Exception {
    AtomicLong read = new AtomicLong();
    StoredFrames frames = StoredFrames.open(counting(nativeFile, read)).orElseThrow();
    assertThat(frames.numberOfFrames()).isEqualTo(FRAMES);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.copy(17, out);
    assertThat(out.toByteArray()).isEqualTo(frame(17));
    assertThat(read.get()).as("bytes read of a %d-byte file", Files.size(nativeFile))
        .isLessThan(Files.size(nativeFile) / 8);
  }

  @Test
  void anEncapsulatedFrameIsFoundWithoutReadingTheOthers() throws Exception {
    Path withTable = CodecFixtures.convert(nativeFile, work, "dcmcjpeg", "+e1", "+fs", "4");
    Path withoutTable = CodecFixtures.convert(nativeFile, work, "dcmcjpeg", "+e1", "+fs", "4", "-ot");
    Path onePerFrameWithoutTable = CodecFixtures.convert(nativeFile, work, "dcmcrle", "-ot");
    for (Path file : new Path[] {withTable, withoutTable, onePerFrameWithoutTable}) {
      AtomicLong read = new AtomicLong();
      StoredFrames frames = StoredFrames.open(counting(file, read)).orElseThrow();
      assertThat(frames.decode(19)).as(file.getFileName().toString()).isEqualTo(frame(19));
      assertThat(read.get()).as("bytes read of a %d-byte file", Files.size(file)).isLessThan(Files.size(file) / 4);
    }
  }

  @Test
  void framesBeyondTheEncapsulatedOnesAreAParseError() throws Exception {
    Path rle = CodecFixtures.convert(nativeFile, work, "dcmcrle");
    StoredFrames frames = StoredFrames.open(() -> Files.newInputStream(rle)).orElseThrow();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> frames.copy(FRAMES + 1, new ByteArrayOutputStream()))
        .isInstanceOf(DicomParseException.class).hasMessageContaining("frame " + (FRAMES + 1));
  }

  private byte[] frame(int n) {
    return Arrays.copyOfRange(pixels, (n - 1) * FRAME_BYTES, n * FRAME_BYTES);
  }

  /** Opens the file counting the bytes read from it (a skip seeks and reads nothing). */
  private static DicomHeaderReader.Source counting(Path file, AtomicLong read) {
    return () -> new FilterInputStream(Files.newInputStream(file)) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) read.incrementAndGet();
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) read.addAndGet(n);
        return n;
      }
    };
  }
}
