package dev.atrium.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Names stored before matching ignored accents keep their old key (upper case, accents kept) until migration 7 makes
 * it again: without it "MULLER" would find a Müller stored after the upgrade and miss one stored before.
 */
class PersonNameKeysMigrationTest {
  private static final String URL = "jdbc:h2:mem:namekeys;MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";

  @Test
  void keysStoredBeforeAreMadeAgainAndOthersLeftAlone() throws Exception {
    Flyway.configure().dataSource(URL, "", "").locations("classpath:db/migration").target("6").load().migrate();
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      s.execute("insert into patient (pk, partition_name, patient_id, issuer_of_patient_id, patient_name,"
          + " patient_name_norm, created_at, updated_at) values (1, 'DEFAULT', 'P1', '', 'Müller^Jürgen',"
          + " 'MÜLLER^JÜRGEN', now(), now()), (3, 'DEFAULT', 'P3', '', 'Sørensen^Łukasz', 'SØRENSEN^ŁUKASZ',"
          + " now(), now()), (2, 'DEFAULT', 'P2', '', 'Yamada^Tarou=山田^太郎=やまだ^たろう',"
          + " 'YAMADA^TAROU=山田^太郎=やまだ^たろう', now(), now())");
      s.execute("insert into study (pk, partition_name, patient_pk, study_instance_uid, referring_physician_name,"
          + " referring_physician_norm, number_of_series, number_of_instances, created_at, updated_at) values (1,"
          + " 'DEFAULT', 1, '1.2.3', 'Émile^Zola', 'ÉMILE^ZOLA', 0, 0, now(), now())");
    }
    Flyway.configure().dataSource(URL, "", "").locations("classpath:db/migration")
        .javaMigrations(new PersonNameKeysMigration()).load().migrate();
    try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
      assertThat(one(s, "select patient_name_norm from patient where pk = 1")).isEqualTo("MULLER^JURGEN");
      assertThat(one(s, "select patient_name_norm from patient where pk = 2"))
          .isEqualTo("YAMADA^TAROU=山田^太郎=やまだ^たろう");
      assertThat(one(s, "select referring_physician_norm from study where pk = 1")).isEqualTo("EMILE^ZOLA");
      assertThat(one(s, "select patient_name_norm from patient where pk = 3")).isEqualTo("SORENSEN^LUKASZ");
      assertThat(one(s, "select patient_name from patient where pk = 1")).as("as stored").isEqualTo("Müller^Jürgen");
    }
  }

  private static String one(Statement s, String sql) throws Exception {
    try (ResultSet rows = s.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
