package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code netclass} collector: {@code node_network_*} properties of every interface
 * in /sys/class/net (operstate, carrier, MTU, speed, flags...), one attribute file each.
 */
public final class NetclassCollector implements Collector {
  public static final String DEFAULT_IGNORED_DEVICES = "^$";

  /** Attribute file -> metric suffix, in node_exporter's order; counters end in _total. */
  private static final String[][] FIELDS = {
      {"addr_assign_type", "address_assign_type"}, {"carrier", "carrier"},
      {"carrier_changes", "carrier_changes_total"}, {"carrier_up_count", "carrier_up_changes_total"},
      {"carrier_down_count", "carrier_down_changes_total"}, {"dev_id", "device_id"}, {"dormant", "dormant"},
      {"flags", "flags"}, {"ifindex", "iface_id"}, {"iflink", "iface_link"}, {"link_mode", "iface_link_mode"},
      {"mtu", "mtu_bytes"}, {"name_assign_type", "name_assign_type"}, {"netdev_group", "net_dev_group"},
      {"speed", "speed_bytes"}, {"tx_queue_len", "transmit_queue_length"}, {"type", "protocol_type"}};

  /** The files read: the numeric fields and the info labels. */
  private static final List<String> ATTRIBUTES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(FIELDS).map(f -> f[0]),
      java.util.stream.Stream.of("address", "broadcast", "duplex", "operstate", "ifalias")).toList();

  private final HostPaths paths;
  private final Pattern ignored;
  private final boolean ignoreInvalidSpeed;

  public NetclassCollector(HostPaths paths, Pattern ignored, boolean ignoreInvalidSpeed) {
    this.paths = paths;
    this.ignored = ignored;
    this.ignoreInvalidSpeed = ignoreInvalidSpeed;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/net");
    HostPaths.requireDirectory(base, base + " does not exist");
    Map<String, MetricSink.Family> families = new HashMap<>();
    for (Path dir : Sysfs.list(base)) {
      String device = Sysfs.name(dir);
      // A regular file (bonding_masters) is not an interface; one that vanished since the listing is skipped.
      if (Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS) || ignored.matcher(device).find() || !Files.isDirectory(dir)) {
        continue;
      }
      Map<String, String> attrs = Sysfs.attributes(dir, ATTRIBUTES);
      String operstate = attrs.getOrDefault("operstate", "");
      sink.gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", "device")
          .add(operstate.equals("up") ? 1 : 0, device);
      sink.gauge("node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
          "device", "address", "broadcast", "duplex", "operstate", "ifalias")
          .add(1, device, attrs.getOrDefault("address", ""), attrs.getOrDefault("broadcast", ""),
              attrs.getOrDefault("duplex", ""), operstate, attrs.getOrDefault("ifalias", ""));
      for (String[] field : FIELDS) {
        String text = attrs.get(field[0]);
        if (text == null) {
          continue;
        }
        // node_exporter's parser yields 0, not nothing, for an attribute that is not a number.
        Long parsed = GoNumbers.parseInt(text);
        long value = parsed == null ? 0 : parsed;
        if (field[0].equals("speed")) {
          // Mbit/s in bytes/s; some drivers report -1 for an unknown speed, kept unless asked not to.
          if (value < 0 && ignoreInvalidSpeed) {
            continue;
          }
          value = value * 1000 * 1000 / 8;
        }
        family(sink, families, field[1]).add(value, device);
      }
    }
  }

  private static MetricSink.Family family(MetricSink sink, Map<String, MetricSink.Family> families, String suffix) {
    return families.computeIfAbsent(suffix, s -> {
      String name = "node_network_" + s;
      String help = "Network device property: " + s;
      return s.endsWith("_total") ? sink.counter(name, help, "device") : sink.gauge(name, help, "device");
    });
  }

}
