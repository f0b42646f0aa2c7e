package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbWadoUriTest extends WadoUriContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
