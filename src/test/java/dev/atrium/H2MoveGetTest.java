package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2MoveGetTest extends MoveGetContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
