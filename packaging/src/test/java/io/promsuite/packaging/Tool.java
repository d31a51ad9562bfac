package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real programs the packaging checks run, and the Debian package each comes from. */
enum Tool {
  PROMTOOL("/usr/bin/promtool", "prometheus"),
  PROMETHEUS("/usr/bin/prometheus", "prometheus"),
  AMTOOL("/usr/bin/amtool", "prometheus-alertmanager"),
  ALERTMANAGER("/usr/bin/prometheus-alertmanager", "prometheus-alertmanager"),
  NODE_EXPORTER("/usr/bin/prometheus-node-exporter", "prometheus-node-exporter"),
  PUSHGATEWAY("/usr/bin/prometheus-pushgateway", "prometheus-pushgateway"),
  BLACKBOX_EXPORTER("/usr/bin/prometheus-blackbox-exporter", "prometheus-blackbox-exporter"),
  DNSMASQ("/usr/sbin/dnsmasq", "dnsmasq-base"),
  SYSTEMD_ANALYZE("/usr/bin/systemd-analyze", "systemd");

  private final Path path;
  private final String debianPackage;

  Tool(String path, String debianPackage) {
    this.path = Path.of(path);
    this.debianPackage = debianPackage;
  }

  /**
   * The program's path. A missing program skips the calling test on a laptop and fails it under
   * CI=true, where every check must really run.
   */
  String require() {
    if (Files.isExecutable(path)) {
      return path.toString();
    }
    String message = path + " is missing: install the Debian package " + debianPackage
        + " (this check runs the real program, there is no substitute)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
