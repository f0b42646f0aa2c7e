package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbStoreTest extends StoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
