package dev.atrium;

import dev.atrium.support.TestDatabase;

class H2WadoUriTest extends WadoUriContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
