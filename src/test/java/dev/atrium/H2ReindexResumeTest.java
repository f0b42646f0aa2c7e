package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2ReindexResumeTest extends ReindexResumeContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
