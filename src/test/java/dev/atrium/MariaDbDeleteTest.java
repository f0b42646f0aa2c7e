package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbDeleteTest extends DeleteContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
