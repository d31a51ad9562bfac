package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;

/**
 * {@code node_memory_<Field>[_bytes]} for every /proc/meminfo field, named as node_exporter names
 * them ({@code Active(anon)} -> {@code Active_anon}; kB fields in bytes with {@code _bytes}).
 * Read directly: OSHI's GlobalMemory exposes only a handful of these fields.
 */
public final class MeminfoCollector implements Collector {
  private final HostPaths paths;

  public MeminfoCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    for (String line : Fields.lines(HostPaths.read(paths.proc("meminfo")))) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).replace('(', '_').replace(")", "");
      List<String> f = Fields.split(line.substring(colon + 1));
      if (f.isEmpty()) {
        continue;
      }
      double value = Double.parseDouble(f.get(0));
      if (f.size() > 1 && f.get(1).equals("kB")) {
        key += "_bytes";
        value *= 1024;
      }
      sink.gauge("node_memory_" + key, "Memory information field " + key + ".").add(value);
    }
  }
}
