package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2FramesTest extends FramesContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
