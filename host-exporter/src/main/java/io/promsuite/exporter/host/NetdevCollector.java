package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code node_network_{receive,transmit}_*_total{device}} from /proc/net/dev (OSHI's NetworkIF has
 * 8 of the 16 counters), plus {@code receive_nohandler} from sysfs, which node_exporter's netlink
 * reader reports and /proc/net/dev lacks.
 */
public final class NetdevCollector implements Collector {
  public static final String DEFAULT_DEVICE_EXCLUDE = "^lo$";
  private static final String[] COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
      "receive_compressed", "receive_multicast",
      "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
      "transmit_carrier", "transmit_compressed"};

  private final HostPaths paths;
  private final DeviceFilter devices;

  public NetdevCollector(HostPaths paths, Pattern exclude, Pattern include) {
    this.paths = paths;
    this.devices = new DeviceFilter(exclude, include);
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    MetricSink.Family[] families = new MetricSink.Family[COLUMNS.length];
    for (int i = 0; i < COLUMNS.length; i++) {
      families[i] = sink.counter("node_network_" + COLUMNS[i] + "_total",
          "Network device statistic " + COLUMNS[i] + ".", "device");
    }
    MetricSink.Family nohandler = sink.counter("node_network_receive_nohandler_total",
        "Network device statistic receive_nohandler.", "device");
    List<String> lines = Fields.lines(HostPaths.read(paths.proc("net/dev")));
    for (int l = 2; l < lines.size(); l++) {
      String line = lines.get(l);
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String device = line.substring(0, colon).trim();
      if (devices.ignored(device)) {
        continue;
      }
      List<String> f = Fields.split(line.substring(colon + 1));
      for (int i = 0; i < COLUMNS.length && i < f.size(); i++) {
        families[i].add(Double.parseDouble(f.get(i)), device);
      }
      Path nh = paths.sys("class/net/" + device + "/statistics/rx_nohandler");
      if (Files.isReadable(nh)) {
        try {
          nohandler.add(Double.parseDouble(HostPaths.readLine(nh)), device);
        } catch (IOException | NumberFormatException e) {
          // A device that vanished between the two reads: its /proc/net/dev figures stand alone.
        }
      }
    }
  }
}
