package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * node_exporter's {@code fibrechannel} collector: {@code node_fibrechannel_info} and the port
 * statistics of every Fibre Channel host adapter in /sys/class/fc_host.
 */
public final class FibreChannelCollector implements Collector {
  private static final String[] ATTRIBUTES = {"speed", "port_state", "port_type", "port_id", "port_name", "fabric_name",
      "symbolic_name", "supported_classes", "supported_speeds", "dev_loss_tmo"};
  /** statistics file, metric suffix, help. */
  private static final String[][] COUNTERS = {
      {"dumped_frames", "dumped_frames_total", "Number of dumped frames"},
      {"error_frames", "error_frames_total", "Number of errors in frames"},
      {"invalid_crc_count", "invalid_crc_total", "Invalid Cyclic Redundancy Check count"},
      {"rx_frames", "rx_frames_total", "Number of frames received"},
      {"rx_words", "rx_words_total", "Number of words received by host port"},
      {"tx_frames", "tx_frames_total", "Number of frames transmitted by host port"},
      {"tx_words", "tx_words_total", "Number of words transmitted by host port"},
      {"seconds_since_last_reset", "seconds_since_last_reset_total", "Number of seconds since last host port reset"},
      {"invalid_tx_word_count", "invalid_tx_words_total", "Number of invalid words transmitted by host port"},
      {"link_failure_count", "link_failure_total", "Number of times the host port link has failed"},
      {"loss_of_sync_count", "loss_of_sync_total", "Number of failures on either bit or transmission word boundaries"},
      {"loss_of_signal_count", "loss_of_signal_total", "Number of times signal has been lost"},
      {"nos_count", "nos_total", "Number Not_Operational Primitive Sequence received by host port"},
      {"fcp_packet_aborts", "fcp_packet_aborts_total", "Number of aborted packets"}};

  private record Host(String[] info, long[] counters) {}

  private final HostPaths paths;

  public FibreChannelCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/fc_host");
    HostPaths.requireDirectory(base, "fibrechannel statistics not found: " + base);
    List<Host> hosts = new ArrayList<>();
    for (Path dir : Sysfs.list(base)) {
      hosts.add(host(dir));
    }
    for (Host h : hosts) {
      sink.gauge("node_fibrechannel_info", "Non-numeric data from /sys/class/fc_host/<host>, value is always 1.",
          "fc_host", "speed", "port_state", "port_type", "port_id", "port_name", "fabric_name", "symbolic_name",
          "supported_classes", "supported_speeds", "dev_loss_tmo").add(1, h.info());
      for (int i = 0; i < COUNTERS.length; i++) {
        // All ones: the adapter's firmware does not implement the counter.
        if (h.counters()[i] != -1L) {
          double v = h.counters()[i] < 0 ? h.counters()[i] + 0x1p64 : h.counters()[i];
          sink.counter("node_fibrechannel_" + COUNTERS[i][1], COUNTERS[i][2], "fc_host").add(v, h.info()[0]);
        }
      }
    }
  }

  private static Host host(Path dir) throws IOException, NoDataException {
    String[] info = new String[ATTRIBUTES.length + 1];
    info[0] = Sysfs.name(dir);
    for (int i = 0; i < ATTRIBUTES.length; i++) {
      String v = Sysfs.attribute(dir.resolve(ATTRIBUTES[i]));
      // 0x-prefixed WWNs and port ids lose the prefix.
      if (ATTRIBUTES[i].startsWith("port_id") || ATTRIBUTES[i].endsWith("_name") && !ATTRIBUTES[i].equals("symbolic_name")) {
        v = v.length() > 2 ? v.substring(2) : v;
      }
      info[i + 1] = v;
    }
    Sysfs.attribute(dir.resolve("node_name"));
    Path stats = dir.resolve("statistics");
    HostPaths.requireDirectory(stats, "fibrechannel statistics not found: " + stats);
    long[] counters = new long[COUNTERS.length];
    for (Map.Entry<String, String> a : Sysfs.attributes(stats, false).entrySet()) {
      int index = index(a.getKey());
      if (index < 0) {
        continue;
      }
      Long v = GoNumbers.parseUint(a.getValue());
      if (v == null) {
        // node_exporter 1.5 crashes here; one bad adapter only fails this collector.
        throw new IOException(stats.resolve(a.getKey()) + ": not an unsigned integer: '" + a.getValue() + "'");
      }
      counters[index] = v;
    }
    return new Host(info, counters);
  }

  private static int index(String file) {
    for (int i = 0; i < COUNTERS.length; i++) {
      if (COUNTERS[i][0].equals(file)) {
        return i;
      }
    }
    return -1;
  }
}
