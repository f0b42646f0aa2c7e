package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbChangeFeedTest extends ChangeFeedContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
