package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbFramesTest extends FramesContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
