package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2CorpusTest extends CorpusContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
