package io.promsuite.e2e.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the suite's parts are in a checkout: packaging/'s reference files and each module's
 * launcher ({@code <module>/target/bin/<module>}).
 */
public record SuiteLayout(Path root, Path packaging) {
  /** The packaging reference files the stack is generated from. */
  public static final String PROMETHEUS = "prometheus/prometheus.yml";
  public static final String FEDERATION = "prometheus/federation.yml";
  public static final String RULES = "prometheus/rules";
  public static final String ALERTMANAGER = "alertmanager/alertmanager.yml";
  public static final String BLACKBOX = "blackbox/blackbox.yml";

  /**
   * The checkout containing {@code start} (or a parent of it). The system property
   * {@code promsuite.packaging.dir} points at another packaging/ directory.
   */
  public static SuiteLayout find(Path start) {
    Path dir = start.toAbsolutePath().normalize();
    while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("exporter-common")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside a Promsuite checkout: " + start.toAbsolutePath());
    }
    String override = System.getProperty("promsuite.packaging.dir", "");
    return new SuiteLayout(dir, override.isEmpty() ? dir.resolve("packaging") : Path.of(override).toAbsolutePath());
  }

  public Path file(String relative) {
    return packaging.resolve(relative);
  }

  /** The reference files that are missing, empty when the stack can be generated. */
  public java.util.List<String> missingReferences() {
    return java.util.stream.Stream.of(PROMETHEUS, FEDERATION, RULES, ALERTMANAGER, BLACKBOX)
        .filter(f -> !Files.exists(file(f))).map(f -> packaging.resolve(f).toString()).toList();
  }

  public Path launcher(String module) {
    return root.resolve(module).resolve("target/bin").resolve(module);
  }
}
