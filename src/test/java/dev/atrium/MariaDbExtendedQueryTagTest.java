package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbExtendedQueryTagTest extends ExtendedQueryTagContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
