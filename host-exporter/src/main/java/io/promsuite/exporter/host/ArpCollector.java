package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** {@code node_arp_entries{device}}: entries of /proc/net/arp counted per device. */
public final class ArpCollector implements Collector {
  private final HostPaths paths;
  private final DeviceFilter devices;

  public ArpCollector(HostPaths paths, Pattern exclude, Pattern include) {
    this.paths = paths;
    this.devices = new DeviceFilter(exclude, include);
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Map<String, Integer> entries = new TreeMap<>();
    for (String line : Fields.lines(HostPaths.read(paths.proc("net/arp")))) {
      List<String> columns = Fields.split(line);
      if (columns.size() < 6) {
        throw new IOException("could not get ARP entries: unexpected ARP table format");
      }
      if (!columns.getFirst().equals("IP")) {
        entries.merge(columns.getLast(), 1, Integer::sum);
      }
    }
    MetricSink.Family family = sink.gauge("node_arp_entries", "ARP entries by device", "device");
    entries.forEach((device, n) -> {
      if (!devices.ignored(device)) {
        family.add(n, device);
      }
    });
  }
}
