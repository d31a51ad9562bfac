package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Path;

/**
 * node_exporter's {@code edac} collector: correctable and uncorrectable memory errors per memory
 * controller and chip-select row, from /sys/devices/system/edac/mc.
 */
public final class EdacCollector implements Collector {
  private final HostPaths paths;

  public EdacCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    for (Path mc : Sysfs.glob(paths.sys("devices/system/edac/mc"), "mc")) {
      String controller = leadingDigits(Sysfs.name(mc), "mc");
      MetricSink.Family ce = sink.counter("node_edac_correctable_errors_total", "Total correctable memory errors.",
          "controller");
      MetricSink.Family ue = sink.counter("node_edac_uncorrectable_errors_total", "Total uncorrectable memory errors.",
          "controller");
      MetricSink.Family rowCe = sink.counter("node_edac_csrow_correctable_errors_total",
          "Total correctable memory errors for this csrow.", "controller", "csrow");
      MetricSink.Family rowUe = sink.counter("node_edac_csrow_uncorrectable_errors_total",
          "Total uncorrectable memory errors for this csrow.", "controller", "csrow");
      ce.add(count(mc, "ce_count", controller), controller);
      rowCe.add(count(mc, "ce_noinfo_count", controller), controller, "unknown");
      ue.add(count(mc, "ue_count", controller), controller);
      rowUe.add(count(mc, "ue_noinfo_count", controller), controller, "unknown");
      for (Path row : Sysfs.glob(mc, "csrow")) {
        String csrow = leadingDigits(Sysfs.name(row), "csrow");
        rowCe.add(count(row, "ce_count", controller + "/" + csrow), controller, csrow);
        rowUe.add(count(row, "ue_count", controller + "/" + csrow), controller, csrow);
      }
    }
  }

  private static double count(Path dir, String file, String where) throws IOException {
    try {
      return Sysfs.readUnsigned(dir.resolve(file));
    } catch (IOException e) {
      throw new IOException("couldn't get " + file + " for " + where + ": " + e.getMessage());
    }
  }

  /** The number after {@code prefix} in {@code mc0} or {@code csrow12}, as node_exporter's pattern takes it. */
  private static String leadingDigits(String name, String prefix) {
    int end = prefix.length();
    while (end < name.length() && Character.isDigit(name.charAt(end))) {
      end++;
    }
    return name.substring(prefix.length(), end);
  }
}
