package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code node_network_{receive,transmit}_*_total{device}} from /proc/net/dev (OSHI's NetworkIF has
 * 8 of the 16 counters), plus {@code receive_nohandler} from sysfs, which node_exporter's default
 * netlink reader reports and /proc/net/dev lacks. With --collector.netdev.enable-detailed-metrics,
 * node_exporter's unmapped names: the kernel's 24 link statistics (netlink's, read from
 * /sys/class/net/DEV/statistics), or /proc/net/dev's columns under --no-collector.netdev.netlink.
 * With --collector.netdev.address-info, {@code node_network_address_info} ({@link NetworkAddresses}).
 */
public final class NetdevCollector implements Collector {
  public static final String DEFAULT_DEVICE_EXCLUDE = "^lo$";
  private static final String[] COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
      "receive_compressed", "receive_multicast",
      "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
      "transmit_carrier", "transmit_compressed"};
  // procfs's names for the same columns, which node_exporter serves unmapped with detailed metrics.
  private static final String[] DETAILED_COLUMNS = {
      "receive_bytes", "receive_packets", "receive_errors", "receive_dropped", "receive_fifo", "receive_frame",
      "receive_compressed", "receive_multicast",
      "transmit_bytes", "transmit_packets", "transmit_errors", "transmit_dropped", "transmit_fifo", "transmit_colls",
      "transmit_carrier", "transmit_compressed"};

  /** node_exporter's --collector.netdev.* switches. */
  public record Options(boolean netlink, boolean detailed, boolean addressInfo) {
    public static final Options DEFAULTS = new Options(true, false, false);
  }

  private final HostPaths paths;
  private final DeviceFilter devices;
  private final Options options;

  public NetdevCollector(HostPaths paths, Pattern exclude, Pattern include) {
    this(paths, exclude, include, Options.DEFAULTS);
  }

  public NetdevCollector(HostPaths paths, Pattern exclude, Pattern include, Options options) {
    this.paths = paths;
    this.devices = new DeviceFilter(exclude, include);
    this.options = options;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    if (options.netlink() && options.detailed()) {
      linkStatistics(sink);
    } else {
      procNetDev(sink);
    }
    if (options.addressInfo()) {
      NetworkAddresses.write(sink);
    }
  }

  private static MetricSink.Family family(MetricSink sink, String key) {
    return sink.counter("node_network_" + key + "_total", "Network device statistic " + key + ".", "device");
  }

  private void procNetDev(MetricSink sink) throws IOException {
    String[] names = options.detailed() ? DETAILED_COLUMNS : COLUMNS;
    MetricSink.Family[] families = new MetricSink.Family[names.length];
    for (int i = 0; i < names.length; i++) {
      families[i] = family(sink, names[i]);
    }
    MetricSink.Family nohandler = options.netlink() ? family(sink, "receive_nohandler") : null;
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
      for (int i = 0; i < names.length && i < f.size(); i++) {
        families[i].add(Double.parseDouble(f.get(i)), device);
      }
      Path nh = paths.sys("class/net/" + device + "/statistics/rx_nohandler");
      if (nohandler != null && Files.isReadable(nh)) {
        try {
          nohandler.add(HostPaths.readNumber(nh), device);
        } catch (IOException | NumberFormatException e) {
          // A device that vanished between the two reads: its /proc/net/dev figures stand alone.
        }
      }
    }
  }

  /** The kernel's rtnl_link_stats64, one file each: rx_crc_errors -> receive_crc_errors. */
  private void linkStatistics(MetricSink sink) throws IOException {
    List<Path> devs = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(paths.sys("class/net"))) {
      s.forEach(devs::add);
    }
    devs.sort(null);
    for (Path dev : devs) {
      String device = dev.getFileName().toString();
      Path stats = dev.resolve("statistics");
      if (devices.ignored(device) || !Files.isDirectory(stats)) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(stats)) {
        s.forEach(files::add);
      }
      files.sort(null);
      for (Path file : files) {
        String name = file.getFileName().toString();
        String key = name.startsWith("rx_") ? "receive_" + name.substring(3)
            : name.startsWith("tx_") ? "transmit_" + name.substring(3) : name;
        try {
          family(sink, key).add(HostPaths.readNumber(file), device);
        } catch (IOException | NumberFormatException e) {
          // A device going away mid-read: the rest of its statistics stand.
        }
      }
    }
  }
}
