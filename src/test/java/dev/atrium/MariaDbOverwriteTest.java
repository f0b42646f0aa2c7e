package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbOverwriteTest extends OverwriteContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
