package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbWadoRetrieveTest extends WadoRetrieveContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
