package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2OverwriteTest extends OverwriteContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
