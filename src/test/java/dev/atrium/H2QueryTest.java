package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2QueryTest extends QueryContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
