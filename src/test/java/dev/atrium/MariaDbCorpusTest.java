package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbCorpusTest extends CorpusContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
