package dev.atrium.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Real-world DICOM files: pydicom's test corpus (Debian python3-pydicom). */
public final class Corpus {
  private Corpus() {}

  public static Path pydicomData() {
    String configured = System.getenv("ATRIUM_TEST_PYDICOM_DATA");
    Path data = Path.of(configured != null ? configured : "/usr/lib/python3/dist-packages/pydicom/data");
    if (!Files.isDirectory(data)) throw new IllegalStateException("pydicom test data not found at " + data
        + " (scripts/test installs python3-pydicom)");
    return data;
  }

  public static Path testFile(String name) {
    return pydicomData().resolve("test_files").resolve(name);
  }

  public static List<Path> files(String subdirectory) throws IOException {
    try (Stream<Path> files = Files.walk(pydicomData().resolve(subdirectory))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
