package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;

/** {@code node_schedstat_*_total{cpu}}: per-CPU run and wait time and timeslices from /proc/schedstat. */
public final class SchedstatCollector implements Collector {
  private final HostPaths paths;

  public SchedstatCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    String text = HostPaths.readOrNoData(paths.proc("schedstat"), "schedstat file does not exist");
    MetricSink.Family running = sink.counter("node_schedstat_running_seconds_total",
        "Number of seconds CPU spent running a process.", "cpu");
    MetricSink.Family waiting = sink.counter("node_schedstat_waiting_seconds_total",
        "Number of seconds spent by processing waiting for this CPU.", "cpu");
    MetricSink.Family timeslices = sink.counter("node_schedstat_timeslices_total",
        "Number of timeslices executed by CPU.", "cpu");
    for (String line : Fields.lines(text)) {
      if (!line.startsWith("cpu")) {
        continue;
      }
      List<String> f = Fields.split(line);
      if (f.size() != 10) {
        continue;
      }
      String cpu = f.get(0).substring(3);
      running.add(Long.parseLong(f.get(7)) / 1e9, cpu);
      waiting.add(Long.parseLong(f.get(8)) / 1e9, cpu);
      timeslices.add(Long.parseLong(f.get(9)), cpu);
    }
  }
}
