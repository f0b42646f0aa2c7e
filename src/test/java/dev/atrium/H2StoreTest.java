package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2StoreTest extends StoreContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
