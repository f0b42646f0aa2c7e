package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2ChangeFeedTest extends ChangeFeedContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
