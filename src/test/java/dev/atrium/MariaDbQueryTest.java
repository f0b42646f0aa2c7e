package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbQueryTest extends QueryContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
