package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbRenderedTest extends RenderedContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
