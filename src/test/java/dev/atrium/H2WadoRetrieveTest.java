package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2WadoRetrieveTest extends WadoRetrieveContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
