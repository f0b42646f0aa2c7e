package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2ExtendedQueryTagTest extends ExtendedQueryTagContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
