package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * {@code node_pressure_*_seconds_total}: pressure stall information (PSI) totals from
 * /proc/pressure/{cpu,io,memory}, "some" as waiting and "full" as stalled, as node_exporter 1.5
 * reports them (cpu "some" only).
 */
public final class PressureCollector implements Collector {
  private final HostPaths paths;

  public PressureCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    double[] cpu = totals("cpu");
    double[] io = totals("io");
    double[] memory = totals("memory");
    sink.counter("node_pressure_cpu_waiting_seconds_total", "Total time in seconds that processes have waited for CPU time")
        .add(cpu[0]);
    sink.counter("node_pressure_io_waiting_seconds_total",
        "Total time in seconds that processes have waited due to IO congestion").add(io[0]);
    sink.counter("node_pressure_io_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IO congestion").add(io[1]);
    sink.counter("node_pressure_memory_waiting_seconds_total", "Total time in seconds that processes have waited for memory")
        .add(memory[0]);
    sink.counter("node_pressure_memory_stalled_seconds_total",
        "Total time in seconds no process could make progress due to memory congestion").add(memory[1]);
  }

  /** Seconds of "some" and "full" stall for one resource (microseconds in the file). */
  private double[] totals(String resource) throws Exception {
    String text;
    try {
      text = HostPaths.read(paths.proc("pressure/" + resource));
    } catch (NoSuchFileException e) {
      throw new NoDataException("pressure information is unavailable (Linux >= 4.20 with CONFIG_PSI)");
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Operation not supported")) {
        throw new NoDataException("pressure information is disabled (psi=1 on the kernel command line enables it)");
      }
      throw e;
    }
    double[] out = new double[2];
    for (String line : Fields.lines(text)) {
      int kind = line.startsWith("some ") ? 0 : line.startsWith("full ") ? 1 : -1;
      int total = line.indexOf("total=");
      if (kind >= 0 && total >= 0) {
        out[kind] = Long.parseLong(Fields.split(line.substring(total + 6)).getFirst()) / 1e6;
      }
    }
    return out;
  }
}
