package io.promsuite.packaging;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The exporters packaging ships, and where the build puts their install tarballs. */
enum ShippedExporter {
  HOST("host-exporter", 9100, "node", null),
  CONTAINER("container-exporter", 8080, "container", null),
  BLACKBOX("blackbox-exporter", 9115, "blackbox", "blackbox/blackbox.yml"),
  ML_MODEL("ml-model-exporter", 9101, "ml_model", "ml-model-exporter/ml-model-exporter.yml");

  private static final Pattern ARGS = Pattern.compile("(?m)^ARGS=\"([^\"]*)\"$");

  final String module;
  final int port;
  final String metricPrefix;
  /** The example configuration under packaging/ shipped as conf/<name>, or null. */
  final String config;

  ShippedExporter(String module, int port, String metricPrefix, String config) {
    this.module = module;
    this.port = port;
    this.metricPrefix = metricPrefix;
    this.config = config;
  }

  /** Every exporter of the suite: each must have its tarball and image, none is left out. */
  static List<ShippedExporter> all() {
    return List.of(values());
  }

  /** The version the build stamped into the tarball names. */
  static String version() {
    String version = System.getProperty("exporter.version");
    if (version == null) {
      throw new IllegalStateException("exporter.version is not set: run through Maven (./mvnw -pl packaging verify)");
    }
    return version;
  }

  /** packaging/target, where the package phase leaves the tarballs. */
  static Path out() {
    String out = System.getProperty("packaging.out");
    return out != null ? Path.of(out) : Packaging.dir().resolve("target");
  }

  /** The exporter module's own target/lib: the dependency jars the layout must ship. */
  Path builtLib() {
    return Packaging.dir().resolveSibling(module).resolve("target/lib");
  }

  Path tarball() {
    return out().resolve(module + "-" + version() + ".tar.gz");
  }

  /** The directory the tarball unpacks to. */
  String topDirectory() {
    return module + "-" + version();
  }

  /** The file name of the example configuration in conf/, or null. */
  String configName() {
    return config == null ? null : Path.of(config).getFileName().toString();
  }

  /** The flags of the shipped EnvironmentFile (systemd/default/<module>), split as systemd splits $ARGS. */
  List<String> defaultArgs() {
    Matcher m = ARGS.matcher(Packaging.read(Packaging.file("systemd/default/" + module)));
    if (!m.find()) {
      throw new AssertionError("systemd/default/" + module + " has no ARGS=\"...\" line");
    }
    return List.of(m.group(1).trim().split("\\s+"));
  }

  @Override
  public String toString() {
    return module;
  }
}
