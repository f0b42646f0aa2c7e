package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TagsApi;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one MariaDB database and one data directory, as behind a load balancer. Extended query tags were
 * kept per process: a tag added on one node was never indexed by the other's stores, and one deleted on one node
 * made the other refuse every instance carrying it (a foreign key to the deleted tag).
 */
class TwoNodesTest {
  @Test
  void aTagAddedOrDeletedOnOneNodeIsUsedByTheOther() throws Exception {
    Path dataDir = Files.createTempDirectory("atrium-two-nodes");
    Path work = Files.createTempDirectory("atrium-two-nodes-work");
    try (TestArchive first = new TestArchive(TestDatabase.MARIADB, dataDir);
        TestArchive second = new TestArchive(TestDatabase.H2, dataDir, config -> config.withDb(first.config.db()))) {
      TagsApi tags = new TagsApi(first.dicomWeb());
      tags.addAndWait("[{\"path\":\"ManufacturerModelName\",\"level\":\"Series\"}]");

      TestInstances.Uids uids = TestInstances.fresh();
      Path file = TestInstances.ct(work, uids, Map.<AttributeTag, String>of(TagFromName.ManufacturerModelName,
          "NodeTwoModel"));
      assertThat(Http.post(second.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(file)).statusCode())
          .isEqualTo(200);
      assertThat(Http.get(first.dicomWeb() + "/series?ManufacturerModelName=NodeTwoModel", null).body())
          .as("indexed by the node that did not add the tag").contains(uids.series());
      HttpResponse<String> onSecond = null;
      for (int i = 0; i < 50; i++) { // the second node's query snapshot lasts a second
        onSecond = Http.get(second.dicomWeb() + "/series?ManufacturerModelName=NodeTwoModel", null);
        if (onSecond.statusCode() == 200) break;
        Thread.sleep(100);
      }
      assertThat(onSecond.body()).contains(uids.series());

      assertThat(tags.delete("/extendedquerytags/00081090").statusCode()).isEqualTo(204);
      TestInstances.Uids after = TestInstances.fresh();
      Path another = TestInstances.ct(work, after, Map.<AttributeTag, String>of(TagFromName.ManufacturerModelName,
          "NodeTwoModel"));
      assertThat(Http.post(second.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(another))
          .statusCode()).as("stored by the other node once the tag is gone").isEqualTo(200);
    } finally {
      TempFiles.delete(dataDir);
      TempFiles.delete(work);
    }
  }
}
