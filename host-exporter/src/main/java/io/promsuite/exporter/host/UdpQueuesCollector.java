package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** {@code node_udp_queues{queue,ip}}: bytes queued on UDP sockets, summed from /proc/net/udp and udp6. */
public final class UdpQueuesCollector implements Collector {
  private final HostPaths paths;

  public UdpQueuesCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    MetricSink.Family queues = sink.gauge("node_udp_queues",
        "Number of allocated memory in the kernel for UDP datagrams in bytes.", "queue", "ip");
    boolean v4 = summary(queues, "net/udp", "v4");
    boolean v6 = summary(queues, "net/udp6", "v6");
    if (!v4 && !v6) {
      throw new NoDataException("no /proc/net/udp nor udp6");
    }
  }

  private boolean summary(MetricSink.Family queues, String file, String ip) throws Exception {
    List<String> lines;
    try {
      lines = Fields.lines(HostPaths.read(paths.proc(file)));
    } catch (NoSuchFileException e) {
      return false;
    }
    double tx = 0;
    double rx = 0;
    for (int l = 1; l < lines.size(); l++) {
      List<String> f = Fields.split(lines.get(l));
      if (f.size() < 5) {
        continue;
      }
      String q = f.get(4);
      int colon = q.indexOf(':');
      tx += Long.parseUnsignedLong(q.substring(0, colon), 16);
      rx += Long.parseUnsignedLong(q.substring(colon + 1), 16);
    }
    queues.add(tx, "tx", ip);
    queues.add(rx, "rx", ip);
    return true;
  }
}
