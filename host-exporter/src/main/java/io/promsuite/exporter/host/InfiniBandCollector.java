package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * node_exporter's {@code infiniband} collector: port state, rate and the port counters of every
 * InfiniBand/RoCE device in /sys/class/infiniband.
 */
public final class InfiniBandCollector implements Collector {
  /** counter file (under counters/, or counters_ext/ for the legacy ones), metric suffix, help. */
  private static final String[][] COUNTERS = {
      {"counters_ext/port_multicast_rcv_packets", "legacy_multicast_packets_received_total",
          "Number of multicast packets received"},
      {"counters_ext/port_multicast_xmit_packets", "legacy_multicast_packets_transmitted_total",
          "Number of multicast packets transmitted"},
      {"counters_ext/port_rcv_data_64", "legacy_data_received_bytes_total", "Number of data octets received on all links"},
      {"counters_ext/port_rcv_packets_64", "legacy_packets_received_total", "Number of data packets received on all links"},
      {"counters_ext/port_unicast_rcv_packets", "legacy_unicast_packets_received_total",
          "Number of unicast packets received"},
      {"counters_ext/port_unicast_xmit_packets", "legacy_unicast_packets_transmitted_total",
          "Number of unicast packets transmitted"},
      {"counters_ext/port_xmit_data_64", "legacy_data_transmitted_bytes_total",
          "Number of data octets transmitted on all links"},
      {"counters_ext/port_xmit_packets_64", "legacy_packets_transmitted_total",
          "Number of data packets received on all links"},
      {"counters/excessive_buffer_overrun_errors", "excessive_buffer_overrun_errors_total",
          "Number of times that OverrunErrors consecutive flow control update periods occurred, each having at least"
              + " one overrun error."},
      {"counters/link_downed", "link_downed_total",
          "Number of times the link failed to recover from an error state and went down"},
      {"counters/link_error_recovery", "link_error_recovery_total",
          "Number of times the link successfully recovered from an error state"},
      {"counters/local_link_integrity_errors", "local_link_integrity_errors_total",
          "Number of times that the count of local physical errors exceeded the threshold specified by LocalPhyErrors."},
      {"counters/multicast_rcv_packets", "multicast_packets_received_total",
          "Number of multicast packets received (including errors)"},
      {"counters/multicast_xmit_packets", "multicast_packets_transmitted_total",
          "Number of multicast packets transmitted (including errors)"},
      {"counters/port_rcv_constraint_errors", "port_constraint_errors_received_total",
          "Number of packets received on the switch physical port that are discarded"},
      {"counters/port_xmit_constraint_errors", "port_constraint_errors_transmitted_total",
          "Number of packets not transmitted from the switch physical port"},
      {"counters/port_rcv_data", "port_data_received_bytes_total", "Number of data octets received on all links"},
      {"counters/port_xmit_data", "port_data_transmitted_bytes_total", "Number of data octets transmitted on all links"},
      {"counters/port_rcv_discards", "port_discards_received_total",
          "Number of inbound packets discarded by the port because the port is down or congested"},
      {"counters/port_xmit_discards", "port_discards_transmitted_total",
          "Number of outbound packets discarded by the port because the port is down or congested"},
      {"counters/port_rcv_errors", "port_errors_received_total",
          "Number of packets containing an error that were received on this port"},
      {"counters/port_rcv_packets", "port_packets_received_total",
          "Number of packets received on all VLs by this port (including errors)"},
      {"counters/port_xmit_packets", "port_packets_transmitted_total",
          "Number of packets transmitted on all VLs from this port (including errors)"},
      {"counters/port_xmit_wait", "port_transmit_wait_total",
          "Number of ticks during which the port had data to transmit but no data was sent during the entire tick"},
      {"counters/unicast_rcv_packets", "unicast_packets_received_total",
          "Number of unicast packets received (including errors)"},
      {"counters/unicast_xmit_packets", "unicast_packets_transmitted_total",
          "Number of unicast packets transmitted (including errors)"},
      {"counters/port_rcv_remote_physical_errors", "port_receive_remote_physical_errors_total",
          "Number of packets marked with the EBP (End of Bad Packet) delimiter received on the port."},
      {"counters/port_rcv_switch_relay_errors", "port_receive_switch_relay_errors_total",
          "Number of packets that could not be forwarded by the switch."},
      {"counters/symbol_error", "symbol_error_total", "Number of minor link errors detected on one or more physical lanes."},
      {"counters/VL15_dropped", "vl15_dropped_total",
          "Number of incoming VL15 packets dropped due to resource limitations."}};

  private record Port(String number, long state, long physState, double rate, Map<String, Double> counters) {}

  private record Device(String name, String boardId, String firmware, String hcaType, List<Port> ports) {}

  private final HostPaths paths;

  public InfiniBandCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/infiniband");
    List<Device> devices = new ArrayList<>();
    try {
      if (!Files.isDirectory(base)) {
        throw new NoSuchFileException(base.toString());
      }
      for (Path dir : Sysfs.list(base)) {
        devices.add(device(dir));
      }
    } catch (NoSuchFileException e) {
      throw new NoDataException("infiniband statistics not found: " + e.getFile());
    }
    for (Device d : devices) {
      sink.gauge("node_infiniband_info", "Non-numeric data from /sys/class/infiniband/<device>, value is always 1.",
          "device", "board_id", "firmware_version", "hca_type").add(1, d.name(), d.boardId(), d.firmware(), d.hcaType());
      for (Port p : d.ports()) {
        sink.gauge("node_infiniband_state_id", "State of the InfiniBand port (0: no change, 1: down, 2: init, 3: armed,"
            + " 4: active, 5: act defer)", "device", "port").add(p.state(), d.name(), p.number());
        sink.gauge("node_infiniband_physical_state_id", "Physical state of the InfiniBand port (0: no change, 1: sleep,"
            + " 2: polling, 3: disable, 4: shift, 5: link up, 6: link error recover, 7: phytest)", "device", "port")
            .add(p.physState(), d.name(), p.number());
        sink.gauge("node_infiniband_rate_bytes_per_second", "Maximum signal transfer rate", "device", "port")
            .add(p.rate(), d.name(), p.number());
        for (String[] c : COUNTERS) {
          Double v = p.counters().get(c[0]);
          if (v != null) {
            sink.counter("node_infiniband_" + c[1], c[2], "device", "port").add(v, d.name(), p.number());
          }
        }
      }
    }
  }

  private static Device device(Path dir) throws IOException {
    String boardId = Sysfs.attribute(dir.resolve("board_id"));
    String firmware = Sysfs.attribute(dir.resolve("fw_ver"));
    String hcaType = "";
    try {
      hcaType = Sysfs.attribute(dir.resolve("hca_type"));
    } catch (NoSuchFileException e) {
      // Not every driver has one.
    }
    Path portsDir = dir.resolve("ports");
    if (!Files.isDirectory(portsDir)) {
      throw new NoSuchFileException(portsDir.toString());
    }
    List<Port> ports = new ArrayList<>();
    for (Path p : Sysfs.list(portsDir)) {
      ports.add(port(p));
    }
    return new Device(Sysfs.name(dir), boardId, firmware, hcaType, ports);
  }

  private static Port port(Path dir) throws IOException {
    String number = Sysfs.name(dir);
    Double n = GoNumbers.parseUint10(number);
    if (n == null || n > 0xFFFFFFFFL) {
      throw new IOException("failed to convert port " + dir + " into a number");
    }
    long state = stateId(dir.resolve("state"));
    long physState = stateId(dir.resolve("phys_state"));
    // "100 Gb/sec (4X EDR)": Gbit/s, parsed as a 32-bit float as node_exporter's library does, in bytes/s.
    String rateText = HostPaths.read(dir.resolve("rate"));
    int space = rateText.indexOf(' ');
    String gbitsText = space < 0 ? "" : rateText.substring(0, space + 1).strip();
    if (GoNumbers.parseFloat(gbitsText) == null) {
      throw new IOException("could not parse rate file " + dir.resolve("rate") + ": '" + rateText.strip() + "'");
    }
    double rate = (double) (long) ((double) Float.parseFloat(gbitsText) * 125000000);
    Map<String, Double> counters = new HashMap<>();
    readCounters(dir.resolve("counters"), "counters/", counters, true);
    readCounters(dir.resolve("counters_ext"), "counters_ext/", counters, false);
    return new Port(Long.toString(n.longValue()), state, physState, rate, counters);
  }

  /** "4: ACTIVE" -> 4. */
  private static long stateId(Path file) throws IOException {
    String text = HostPaths.read(file);
    String[] parts = text.split(":", -1);
    Double id = parts.length == 2 ? GoNumbers.parseUint10(parts[0].strip()) : null;
    if (id == null || id > 0xFFFFFFFFL) {
      throw new IOException("could not parse " + file + ": '" + text.strip() + "'");
    }
    return id.longValue();
  }

  private static void readCounters(Path dir, String prefix, Map<String, Double> out, boolean required)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      if (required) {
        throw new NoSuchFileException(dir.toString());
      }
      return;
    }
    for (Path f : Sysfs.list(dir)) {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String key = prefix + Sysfs.name(f);
      if (!known(key)) {
        continue;
      }
      String value = Sysfs.optionalAttribute(f);
      if (value == null) {
        continue;
      }
      Long v = GoNumbers.parseUint(value);
      if (v == null) {
        if (value.contains("N/A (no PMA)")) {
          continue;
        }
        throw new IOException(f + ": not an unsigned integer: '" + value + "'");
      }
      double d = v < 0 ? v + 0x1p64 : (double) v;
      // Data counters count 32-bit words.
      if (key.endsWith("_data") || key.endsWith("_data_64")) {
        d = v * 4 < 0 ? (v * 4) + 0x1p64 : (double) (v * 4);
      }
      out.put(key, d);
    }
  }

  private static boolean known(String key) {
    for (String[] c : COUNTERS) {
      if (c[0].equals(key)) {
        return true;
      }
    }
    return false;
  }
}
