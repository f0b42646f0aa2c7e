package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbPartitionTest extends PartitionContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
