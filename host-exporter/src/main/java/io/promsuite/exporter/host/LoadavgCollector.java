package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;

/** node_load1/5/15 from /proc/loadavg, which glibc's getloadavg(3) reads for node_exporter. */
public final class LoadavgCollector implements Collector {
  private final HostPaths paths;

  public LoadavgCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws java.io.IOException {
    List<String> f = Fields.split(HostPaths.read(paths.proc("loadavg")));
    if (f.size() < 3) {
      throw new IllegalStateException("load average not available in " + paths.proc("loadavg"));
    }
    sink.gauge("node_load1", "1m load average.").add(Double.parseDouble(f.get(0)));
    sink.gauge("node_load5", "5m load average.").add(Double.parseDouble(f.get(1)));
    sink.gauge("node_load15", "15m load average.").add(Double.parseDouble(f.get(2)));
  }
}
