package io.promsuite.exporter.host;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;

/**
 * node_exporter's default collectors that read /proc (and the few simple /sys files beside them),
 * with their flags and default on/off, and the textfile collector, registered last so that a
 * text file repeating a collected metric is the one dropped.
 */
final class ProcCollectors {
  private ProcCollectors() {}

  static Exporter.Builder register(Exporter.Builder b) {
    return b
        .flags(f -> f
            .string("collector.textfile.directory", "", "Directory to read text files with metrics from."))
        .collector("systemd", false, "systemd units (not supported: it needs systemd's D-Bus API).", f -> {
          throw new FlagException("flag --collector.systemd is not supported: host-exporter has no D-Bus client"
              + " for systemd's unit states; drop the flag (or run node_exporter for node_systemd_* metrics)");
        });
  }

  /** The textfile collector; registered after every other so collected metrics win a name clash. */
  static Exporter.Builder textfile(Exporter.Builder b) {
    return b.collector("textfile", true, "Metrics from *.prom files in --collector.textfile.directory.",
        f -> new TextfileCollector(f.get("collector.textfile.directory")));
  }
}
