package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every WADO-RS study/series retrieve, metadata request and C-MOVE listing runs this query: its
 * plan must start from the study's unique index, or its cost grows with the whole archive
 * (H2 once chose to read every instance of the partition; MariaDB's optimizer found the study
 * either way). Checked on both with 8,000 instances, where a scan is visibly the worse plan.
 */
class StudyListingPlanTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aStudyListingStartsFromTheStudysUniqueIndex(TestDatabase database) throws Exception {
    try (Database db = loaded(database)) {
      InstanceLocator locator = new InstanceLocator(db);
      assertThat(planFromStudy(db, locator.listing("DEFAULT", study(7, 3), null))).containsIgnoringCase("uk_study");

      String seriesPlan = db.dsl().explain(locator.listing("DEFAULT", study(7, 3), study(7, 3) + ".2")).plan();
      assertThat(firstTable(db, seriesPlan)).as(seriesPlan).isIn("study", "series");

      List<String> sops = new ArrayList<>();
      locator.forEach("DEFAULT", study(7, 3), null, i -> sops.add(i.sopInstanceUid()));
      assertThat(sops).hasSize(40).startsWith("1.2.3.7.3.0.0", "1.2.3.7.3.0.1");
    }
  }

  /** C-MOVE and C-GET of one study run a statement of their own, rendered once: the same plan and the same list. */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aStudyRetrieveFindsWhatTheListingFindsFromTheSameIndex(TestDatabase database) throws Exception {
    try (Database db = loaded(database)) {
      InstanceLocator locator = new InstanceLocator(db);
      planFromStudy(db, DSL.query(locator.studyInstances.toString(), "DEFAULT", "DEFAULT", "DEFAULT", study(7, 3)));

      List<StoredInstance> listed = new ArrayList<>();
      locator.forEach("DEFAULT", study(7, 3), null, listed::add);
      List<StoredInstance> selected = locator.select("DEFAULT", new InstanceSelection(null, List.of(study(7, 3)),
          List.of(), List.of()));
      assertThat(selected).hasSize(40).isEqualTo(listed);
      assertThat(selected.get(0).studyInstanceUid()).isEqualTo(study(7, 3));
      assertThat(locator.select("OTHER", new InstanceSelection(null, List.of(study(7, 3)), List.of(), List.of())))
          .isEmpty();
    }
  }

  /** An index of 40 patients, 5 studies each, of 4 series of 10 instances. */
  private Database loaded(TestDatabase database) throws Exception {
    Database db = Database.open(database.create(new AtriumConfig.Db(null, "", "", 2)), dataDir);
    load(db);
    return db;
  }

  /** The query's plan, checked to start from the study table. */
  private static String planFromStudy(Database db, Query query) {
    String plan = db.dsl().explain(query).plan();
    assertThat(firstTable(db, plan)).as(plan).isEqualTo("study");
    return plan;
  }

  private static void load(Database db) {
    List<BulkLoader.Patient> patients = new ArrayList<>();
    for (int p = 0; p < 40; p++) {
      List<BulkLoader.Study> studies = new ArrayList<>();
      for (int s = 0; s < 5; s++) {
        List<BulkLoader.Series> series = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
          List<BulkLoader.Instance> instances = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            String sop = "1.2.3." + p + "." + s + "." + e + "." + i;
            instances.add(new BulkLoader.Instance(sop, "1.2.840.10008.5.1.4.1.1.2", i + 1, "1.2.840.10008.1.2.1",
                16, 16, 16, 1, String.format("%032x", (long) sop.hashCode() & 0xFFFFFFFFL), 1000));
          }
          series.add(new BulkLoader.Series("1.2.3." + p + "." + s + "." + e, "CT", e + 1, null, null, null, null,
              instances));
        }
        studies.add(new BulkLoader.Study(study(p, s), LocalDate.of(2020, 1, 1 + s), LocalTime.NOON, "A" + p + s, null,
            null, null, series));
      }
      patients.add(new BulkLoader.Patient("P" + p, "", "DOE^P" + p, null, "O", studies));
    }
    new BulkLoader(db).load("DEFAULT", patients);
    if (db.dsl().dialect() == SQLDialect.MARIADB) {
      db.dsl().execute("ANALYZE TABLE patient, study, series, instance"); // fresh statistics, as a loaded archive has
    }
  }

  private static String study(int patient, int study) {
    return "1.2.3." + patient + "." + study;
  }

  /** The first table of the plan: H2's FROM "public"."name", or the first row of MariaDB's EXPLAIN. */
  private static String firstTable(Database db, String plan) {
    var m = java.util.regex.Pattern.compile(db.dsl().dialect() == SQLDialect.MARIADB
        ? "\\|\\s*\\d+\\s*\\|\\s*\\w+\\s*\\|\\s*(\\w+)\\s*\\|" : "FROM \"public\"\\.\"(\\w+)\"").matcher(plan);
    return m.find() ? m.group(1) : plan;
  }
}
