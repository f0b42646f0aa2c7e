package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbFindTest extends FindContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
