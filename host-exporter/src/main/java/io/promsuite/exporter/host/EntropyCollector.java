package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;

/** {@code node_entropy_available_bits} and {@code node_entropy_pool_size_bits} from /proc/sys/kernel/random. */
public final class EntropyCollector implements Collector {
  private final HostPaths paths;

  public EntropyCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    sink.gauge("node_entropy_available_bits", "Bits of available entropy.")
        .add(HostPaths.readNumber(paths.proc("sys/kernel/random/entropy_avail")));
    sink.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.")
        .add(HostPaths.readNumber(paths.proc("sys/kernel/random/poolsize")));
  }
}
