package dev.atrium.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.support.Corpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * A deflated data set (PS3.5 A.5) is read through a zlib inflater, whose native memory the collector would free only
 * when it gets round to it: an archive reading many deflated files between collections would hold a window per read.
 * Closing what read the file frees it at once.
 */
class Part10FileTest {
  private static final Path DEFLATED = Corpus.testFile("image_dfl.dcm");

  @Test
  void closingADeflatedFileEndsItsInflater() throws Exception {
    Inflater inflater;
    try (Part10File file = Part10File.open(() -> Files.newInputStream(DEFLATED))) {
      assertThat(file.syntax.deflated()).isTrue();
      assertThat(file.reader.next()).isTrue(); // the data set inflates
      inflater = file.inflating.inflater();
      assertThat(inflater.getBytesWritten()).isPositive();
    }
    assertThatThrownBy(() -> inflater.inflate(new byte[16])).hasMessageContaining("closed");
  }

  @Test
  void aDeflatedDataSetOpenedAtAPositionEndsItsInflaterOnClose() throws Exception {
    long dataSetOffset;
    try (InputStream in = Files.newInputStream(DEFLATED)) {
      dataSetOffset = FileMetaReader.read(in).offset();
    }
    Inflater inflater;
    try (InputStream inflated = Part10File.openAt(() -> Files.newInputStream(DEFLATED), dataSetOffset, true, 8)) {
      assertThat(inflated.read()).isNotNegative();
      inflater = ((Part10File.EndingInflaterStream) inflated).inflater();
    }
    assertThatThrownBy(() -> inflater.inflate(new byte[16])).hasMessageContaining("closed");
  }

  @Test
  void theFramingCheckAndTheHeaderReadOfADeflatedFileStillAgree() throws Exception {
    DicomHeader header = DicomHeaderReader.read(() -> Files.newInputStream(DEFLATED), Files.size(DEFLATED));
    assertThat(header.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1.99");
    assertThat(header.sopInstanceUid()).isNotBlank();
  }
}
