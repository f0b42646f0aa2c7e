package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbReindexResumeTest extends ReindexResumeContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
