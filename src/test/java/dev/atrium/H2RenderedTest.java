package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2RenderedTest extends RenderedContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
