package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Finds a real binary a test runs against: skipped on a laptop without it, a failure when CI=true. */
public final class RealBinary {

  private RealBinary() {}

  public static Path require(String path, String aptPackage) {
    Path p = Path.of(path);
    if (!Files.isExecutable(p)) {
      String why = p + " is missing: apt-get install " + aptPackage;
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI=true: a missing part fails the build)");
      }
      Assumptions.abort(why);
    }
    return p;
  }
}
