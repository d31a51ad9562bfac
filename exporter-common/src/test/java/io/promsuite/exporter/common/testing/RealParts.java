package io.promsuite.exporter.common.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real binaries tests run against. Missing on a laptop: the test is skipped with the reason.
 * Missing under CI ({@code CI=true}): the test fails, because .ci/run must install it.
 */
public final class RealParts {
  private RealParts() {}

  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The executable at {@code path} (or found on PATH by name), or skip/fail as above. */
  public static Path require(String pathOrName) {
    Path p = Path.of(pathOrName);
    if (!p.isAbsolute()) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        Path candidate = Path.of(dir, pathOrName);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin"}) {
        Path candidate = Path.of(dir, pathOrName);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    } else if (Files.isExecutable(p)) {
      return p;
    }
    missing(pathOrName + " is not installed");
    return null;
  }

  /** The executable at {@code path}, or skip/fail as above, saying which Debian package provides it. */
  public static Path require(String path, String debianPackage) {
    Path p = Path.of(path);
    if (!Files.isExecutable(p)) {
      missing(p + " is missing: apt-get install " + debianPackage);
    }
    return p;
  }

  /** Skips, or fails under CI, for a real part that is not usable here. */
  public static void missing(String why) {
    if (underCi()) {
      fail(why + " (CI=true: .ci/run must provide it)");
    }
    Assumptions.abort(why);
  }

  /** True when running as root (raw sockets, dockerd, namespaces). */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
