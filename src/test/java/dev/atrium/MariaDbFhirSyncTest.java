package dev.atrium;

import dev.atrium.support.TestDatabase;

class MariaDbFhirSyncTest extends FhirSyncContract {
  @Override
  TestDatabase database() {
    return TestDatabase.MARIADB;
  }
}
