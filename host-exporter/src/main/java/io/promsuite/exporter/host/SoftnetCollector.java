package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.util.List;

/** {@code node_softnet_{processed,dropped,times_squeezed}_total{cpu}} from /proc/net/softnet_stat (hex, a line per CPU). */
public final class SoftnetCollector implements Collector {
  private final HostPaths paths;

  public SoftnetCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    MetricSink.Family processed = sink.counter("node_softnet_processed_total", "Number of processed packets", "cpu");
    MetricSink.Family dropped = sink.counter("node_softnet_dropped_total", "Number of dropped packets", "cpu");
    MetricSink.Family squeezed = sink.counter("node_softnet_times_squeezed_total",
        "Number of times processing packets ran out of quota", "cpu");
    List<String> lines = Fields.lines(HostPaths.read(paths.proc("net/softnet_stat")));
    for (int cpu = 0; cpu < lines.size(); cpu++) {
      List<String> f = Fields.split(lines.get(cpu));
      if (f.size() < 9) {
        throw new IOException(paths.proc("net/softnet_stat") + ": " + f.size() + " columns, at least 9 expected");
      }
      String label = Integer.toString(cpu);
      processed.add(Long.parseUnsignedLong(f.get(0), 16), label);
      dropped.add(Long.parseUnsignedLong(f.get(1), 16), label);
      squeezed.add(Long.parseUnsignedLong(f.get(2), 16), label);
    }
  }
}
