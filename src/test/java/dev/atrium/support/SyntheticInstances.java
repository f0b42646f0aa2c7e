package dev.atrium.support;

import dev.atrium.index.BulkLoader;
import dev.atrium.index.Database;
import dev.atrium.partition.Partitions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many stored instances fast, for reindex tests and figures: index rows through the bulk loader
 * and each instance's metadata document beside its blob key (what a reindex reads), no DICOM
 * files. Studies of 100 instances in one series, each under its own patient.
 */
public final class SyntheticInstances {
  public static final int PER_STUDY = 100;
  private static final String UID_ROOT = "1.2.826.0.1.3680043.9.7433.78";
  private static final int STUDIES_PER_LOAD = 20;

  private SyntheticInstances() {}

  /** The document of instance {@code n}: the template with "{{n}}" and "{{model}}" filled in. */
  public interface Documents {
    String of(int n);
  }

  /** The ManufacturerModelName instance {@code n} gets: 1,000 distinct values. */
  public static String model(int n) {
    return "MODEL-" + (n % 1000);
  }

  /** A small DICOM JSON document with SOP Instance UID, ManufacturerModelName and PatientWeight. */
  public static String smallDocument(int n) {
    return "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + UID_ROOT + ".3." + n + "\"]},"
        + "\"00081090\":{\"vr\":\"LO\",\"Value\":[\"" + model(n) + "\"]},"
        + "\"00101030\":{\"vr\":\"DS\",\"Value\":[" + (40 + n % 60) + "]}}";
  }

  /** Loads {@code count} instances numbered from {@code first}; returns the number loaded. */
  public static int load(Database db, Path blobRoot, int first, int count, Documents documents) throws IOException {
    BulkLoader loader = new BulkLoader(db);
    String directory = blobKey().substring(0, 4); // one directory per load: creating thousands is the slow part
    int loaded = 0;
    List<BulkLoader.Patient> patients = new ArrayList<>();
    for (int n = first; n < first + count; n += PER_STUDY) {
      int study = n / PER_STUDY;
      List<BulkLoader.Instance> instances = new ArrayList<>();
      for (int i = n; i < Math.min(first + count, n + PER_STUDY); i++) {
        String key = directory + blobKey().substring(4);
        Path dir = blobRoot.resolve(key.substring(0, 2)).resolve(key.substring(2, 4));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(key + ".json"), documents.of(i), StandardCharsets.UTF_8);
        instances.add(new BulkLoader.Instance(UID_ROOT + ".3." + i, "1.2.840.10008.5.1.4.1.1.2", i - n + 1,
            "1.2.840.10008.1.2.1", 512, 512, 16, null, key, 525_000L));
      }
      BulkLoader.Series series = new BulkLoader.Series(UID_ROOT + ".2." + study, "CT", 1, "synthetic", "CHEST",
          null, null, instances);
      BulkLoader.Study s = new BulkLoader.Study(UID_ROOT + ".1." + study, LocalDate.of(2020, 1, 1), null,
          "SYNACC" + study, "1", "synthetic", null, List.of(series));
      patients.add(new BulkLoader.Patient("SYNRX" + study, "", "Synthetic^" + study, null, "O", List.of(s)));
      if (patients.size() == STUDIES_PER_LOAD) {
        loaded += loader.load(Partitions.DEFAULT, patients);
        patients.clear();
      }
    }
    if (!patients.isEmpty()) loaded += loader.load(Partitions.DEFAULT, patients);
    return loaded;
  }

  private static String blobKey() {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }
}
