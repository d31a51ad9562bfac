package io.promsuite.exporter.container.source;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The fixture trees under src/test/resources/fixtures. */
public final class Fixtures {
  private Fixtures() {}

  public static Path root(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
