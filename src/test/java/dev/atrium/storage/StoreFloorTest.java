package dev.atrium.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.SmallTmpfs;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Stores stop at store.minFreeSpaceBytes (64 MiB by default) on a disk that fills up (a 160 MB tmpfs holding data
 * and index; root is needed to mount it). They went on until the disk was full: then the embedded index failed a
 * write and closed itself, a delete could not free space, and the archive was down until an operator freed some.
 */
class StoreFloorTest {
  @Test
  void storesAreRefusedBelowTheFloorWhileReadsAndDeletesWork() throws Exception {
    try (SmallTmpfs disk = SmallTmpfs.mount(null, "160m");
         TestArchive archive = new TestArchive(TestDatabase.H2, disk.path().resolve("data"))) {
      Path work = Files.createDirectories(disk.path().resolve("work"));
      Uids kept = TestInstances.fresh();
      assertThat(stow(archive, TestInstances.ct(work, kept)).statusCode()).isEqualTo(200);

      Path filler = disk.path().resolve("filler");
      SmallTmpfs.fill(filler, 40L << 20); // 40 MiB left: below the floor, room for everything else
      HttpResponse<String> refused = stow(archive, TestInstances.ct(work, TestInstances.fresh()));
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).contains("\"00081197\"").contains("272").contains("disk full")
          .contains("64 MiB");
      Dcmtk.Result store = Dcmtk.run(60, "storescu", "-v", "-aec", archive.aeTitle(), "127.0.0.1",
          String.valueOf(archive.dimsePort()), TestInstances.ct(work, TestInstances.fresh()).toString());
      assertThat(store.output()).contains("Refused: OutOfResources"); // A700
      assertThat(archive.instanceRows()).isEqualTo(1);
      assertThat(archive.stagingFiles()).isEmpty();

      assertThat(Http.get(archive.dicomWeb() + "/studies", "application/dicom+json").body())
          .contains(kept.study());
      assertThat(Http.delete(archive.dicomWeb() + "/studies/" + kept.study())).isEqualTo(204);

      Files.delete(filler);
      assertThat(stow(archive, TestInstances.ct(work, TestInstances.fresh())).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> stow(TestArchive archive, Path file) throws Exception {
    return Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, "application/dicom+json",
        Multipart.body(file));
  }
}
