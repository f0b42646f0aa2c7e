package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2PartitionTest extends PartitionContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
