package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2DeleteTest extends DeleteContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
