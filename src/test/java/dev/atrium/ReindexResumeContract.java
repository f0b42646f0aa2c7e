package dev.atrium;

import static dev.atrium.index.schema.Tables.EXTENDED_QUERY_TAG;
import static dev.atrium.index.schema.Tables.EXT_VALUE_STRING;
import static dev.atrium.index.schema.Tables.INSTANCE;
import static dev.atrium.index.schema.Tables.OPERATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.index.Database;
import dev.atrium.support.Http;
import dev.atrium.support.SyntheticInstances;
import dev.atrium.support.TagsApi;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A reindex stopped mid-way by a shutdown resumes after the restart from its last committed
 * batch (its watermark), not from the start, and completes; what it indexed is exact.
 */
abstract class ReindexResumeContract extends ArchiveTest {
  static final int INSTANCES = 20_000;

  @Test
  void aReindexInterruptedByAShutdownResumesFromItsWatermark() throws Exception {
    assertThat(SyntheticInstances.load(archive.index(), dataDir.resolve("blobs"), 0, INSTANCES,
        SyntheticInstances::smallDocument)).isEqualTo(INSTANCES);
    TagsApi api = new TagsApi(archive.dicomWeb());
    HttpResponse<String> added = api.add("[{\"path\": \"ManufacturerModelName\", \"level\": \"Instance\"}]");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
    String id = TagsApi.json(added).get("id").asText();
    for (int poll = 0; poll < 6000; poll++) {
      HttpResponse<String> running = api.get("/operations/" + id);
      assertThat(running.statusCode()).as("a running operation is 202 Accepted").isEqualTo(202);
      JsonNode op = TagsApi.json(running);
      assertThat(op.get("status").asText()).isIn("notStarted", "running");
      assertThat(op.get("resources").get(0).asText()).endsWith("/extendedquerytags/00081090");
      if (op.get("percentComplete").asInt() > 0) break;
      Thread.sleep(10);
    }
    // Meanwhile a query naming the tag says why it cannot be used yet.
    HttpResponse<String> early = Http.get(archive.dicomWeb() + "/instances?ManufacturerModelName=MODEL-7", null);
    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(early.body()).contains("not queryable yet (status Adding: its reindex, operation " + id);

    long[] stoppedAt = new long[2];
    archive.restart(() -> {
      try (Database db = Database.open(archive.config.db(), archive.config.dataDir())) {
        var op = db.dsl().selectFrom(OPERATION).where(OPERATION.OPERATION_ID.eq(id)).fetchOne();
        assertThat(op.getOpStatus()).as("stopped mid-way").isEqualTo("running");
        assertThat(op.getWatermark()).isGreaterThan(op.getStartWatermark()).isLessThan(op.getEndWatermark());
        stoppedAt[0] = op.getWatermark();
        // A value below the watermark is taken away: a resumed reindex does not come back for it.
        stoppedAt[1] = db.dsl().select(INSTANCE.PK).from(INSTANCE).where(INSTANCE.PK.le(op.getWatermark()))
            .orderBy(INSTANCE.PK).limit(1).fetchOne(INSTANCE.PK);
        assertThat(db.dsl().deleteFrom(EXT_VALUE_STRING).where(EXT_VALUE_STRING.LEVEL_PK.eq(stoppedAt[1])).execute())
            .isEqualTo(1);
      }
    });

    JsonNode done = api.waitFor(id);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("percentComplete").asInt()).isEqualTo(100);
    assertThat(api.get("/operations/" + id).statusCode()).as("a finished operation is 200 OK").isEqualTo(200);
    assertThat(TagsApi.json(api.get("/extendedquerytags/ManufacturerModelName")).get("status").asText())
        .isEqualTo("Ready");
    var dsl = archive.index().dsl();
    int key = dsl.select(EXTENDED_QUERY_TAG.TAG_KEY).from(EXTENDED_QUERY_TAG).fetchOne(EXTENDED_QUERY_TAG.TAG_KEY);
    assertThat(dsl.fetchCount(EXT_VALUE_STRING, EXT_VALUE_STRING.TAG_KEY.eq(key))).isEqualTo(INSTANCES - 1);
    assertThat(dsl.fetchExists(EXT_VALUE_STRING, EXT_VALUE_STRING.LEVEL_PK.eq(stoppedAt[1]))).isFalse();

    // every other instance is found by its value: 20 per model, here model 7 (instances 7, 1007, …)
    HttpResponse<String> found = Http.get(archive.dicomWeb() + "/instances?ManufacturerModelName="
        + SyntheticInstances.model(7) + "&includefield=ManufacturerModelName", null);
    assertThat(found.statusCode()).isEqualTo(200);
    JsonNode matches = TagsApi.json(found);
    assertThat(matches).hasSize(INSTANCES / 1000);
    matches.forEach(m -> assertThat(m.get("00081090").get("Value").get(0).asText()).isEqualTo("MODEL-7"));
    System.out.printf("reindex resume: stopped at watermark %d of %d instances, completed after the restart%n",
        stoppedAt[0], INSTANCES);
  }
}
