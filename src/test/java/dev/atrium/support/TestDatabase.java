package dev.atrium.support;

import dev.atrium.config.AtriumConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** The index databases the suite runs against: embedded H2, and the MariaDB that scripts/test starts. */
public enum TestDatabase {
  H2, MARIADB;

  /** A fresh, empty database for one server. */
  public AtriumConfig.Db create(AtriumConfig.Db defaults) throws Exception {
    if (this == H2) return new AtriumConfig.Db("", defaults.user(), defaults.password(), defaults.poolSize());
    String base = System.getenv("ATRIUM_TEST_MARIADB_URL");
    if (base == null) {
      // scripts/test always provides it; only a bare `mvn test` outside CI may lack it.
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must run the MariaDB tests (use scripts/test)");
      Assumptions.abort("ATRIUM_TEST_MARIADB_URL not set: run scripts/test to include MariaDB");
    }
    String user = System.getenv("ATRIUM_TEST_MARIADB_USER");
    String password = System.getenv("ATRIUM_TEST_MARIADB_PASSWORD");
    String name = "atrium_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
      // As an operator creates it: the server's default collation (scripts/test: one that ignores case).
      s.execute("CREATE DATABASE " + name);
    }
    return new AtriumConfig.Db(base + name, user, password, defaults.poolSize());
  }
}
