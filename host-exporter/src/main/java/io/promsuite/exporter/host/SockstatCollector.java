package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code node_sockstat_sockets_used} and {@code node_sockstat_<PROTO>_<state>} from
 * /proc/net/sockstat and /proc/net/sockstat6; {@code _mem_bytes} is {@code mem} in pages times the
 * page size.
 */
public final class SockstatCollector implements Collector {
  private static final List<String> KEYS = List.of("inuse", "orphan", "tw", "alloc", "mem", "memory");

  private final HostPaths paths;
  private final long pageSize;

  public SockstatCollector(HostPaths paths, long pageSize) {
    this.paths = paths;
    this.pageSize = pageSize;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    read(sink, paths.proc("net/sockstat"), false);
    read(sink, paths.proc("net/sockstat6"), true);
  }

  private void read(MetricSink sink, Path file, boolean ipv6) throws Exception {
    String text;
    try {
      text = HostPaths.read(file);
    } catch (NoSuchFileException e) {
      return;
    }
    for (String line : Fields.lines(text)) {
      List<String> f = Fields.split(line);
      if (f.size() < 3 || !f.get(0).endsWith(":") || f.size() % 2 == 0) {
        continue;
      }
      String protocol = f.get(0).substring(0, f.get(0).length() - 1);
      if (protocol.equals("sockets")) {
        if (!ipv6 && f.get(1).equals("used")) {
          sink.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.").add(Double.parseDouble(f.get(2)));
        }
        continue;
      }
      Double mem = null;
      for (String key : KEYS) {
        for (int i = 1; i + 1 < f.size(); i += 2) {
          if (f.get(i).equals(key)) {
            double v = Double.parseDouble(f.get(i + 1));
            state(sink, protocol, key, v);
            if (key.equals("mem")) {
              mem = v;
            }
          }
        }
      }
      if (mem != null) {
        state(sink, protocol, "mem_bytes", mem * pageSize);
      }
    }
  }

  private static void state(MetricSink sink, String protocol, String state, double value) {
    sink.gauge("node_sockstat_" + protocol + "_" + state, "Number of " + protocol + " sockets in state " + state + ".")
        .add(value);
  }
}
