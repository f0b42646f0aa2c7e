package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbMoveGetTest extends MoveGetContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
