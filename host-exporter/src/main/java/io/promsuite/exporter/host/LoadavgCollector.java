package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.function.Supplier;

/** node_load1/5/15 from OSHI's system load average (the same /proc/loadavg node_exporter reads). */
public final class LoadavgCollector implements Collector {
  private final Supplier<double[]> loads;

  public LoadavgCollector(Supplier<double[]> loads) {
    this.loads = loads;
  }

  @Override
  public void collect(MetricSink sink) {
    double[] l = loads.get();
    if (l.length < 3 || l[0] < 0) {
      throw new IllegalStateException("load average not available");
    }
    sink.gauge("node_load1", "1m load average.").add(l[0]);
    sink.gauge("node_load5", "5m load average.").add(l[1]);
    sink.gauge("node_load15", "15m load average.").add(l[2]);
  }

  /** Reads /proc/loadavg; used on fixture trees where OSHI cannot be pointed. */
  static double[] fromProc(HostPaths paths) {
    try {
      var f = Fields.split(HostPaths.read(paths.proc("loadavg")));
      return new double[] {Double.parseDouble(f.get(0)), Double.parseDouble(f.get(1)), Double.parseDouble(f.get(2))};
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
