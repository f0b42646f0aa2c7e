package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2FindTest extends FindContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
