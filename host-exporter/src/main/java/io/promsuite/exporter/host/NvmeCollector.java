package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** node_exporter's {@code nvme} collector: {@code node_nvme_info} per controller in /sys/class/nvme. */
public final class NvmeCollector implements Collector {
  private final HostPaths paths;

  public NvmeCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/nvme");
    HostPaths.requireDirectory(base, "nvme statistics not found: " + base);
    List<String[]> devices = new ArrayList<>();
    try {
      for (Path dir : Sysfs.list(base)) {
        devices.add(new String[] {Sysfs.name(dir), Sysfs.attribute(dir.resolve("firmware_rev")),
            Sysfs.attribute(dir.resolve("model")), Sysfs.attribute(dir.resolve("serial")),
            Sysfs.attribute(dir.resolve("state"))});
      }
    } catch (NoSuchFileException e) {
      throw new NoDataException("nvme statistics not found: " + e.getFile());
    }
    for (String[] d : devices) {
      sink.gauge("node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>, value is always 1.",
          "device", "firmware_revision", "model", "serial", "state").add(1, d);
    }
  }
}
