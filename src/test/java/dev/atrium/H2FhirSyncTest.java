package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2FhirSyncTest extends FhirSyncContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
