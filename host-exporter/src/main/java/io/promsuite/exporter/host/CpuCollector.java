package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code node_cpu_seconds_total{cpu,mode}} and {@code node_cpu_guest_seconds_total{cpu,mode}} from
 * /proc/stat. Read directly rather than through OSHI: OSHI has no guest ticks and memoizes its
 * ticks for 300 ms. Ticks are USER_HZ (100 on Linux, as node_exporter's procfs assumes). Like
 * node_exporter 1.5, a mode whose counter goes backwards (idle/iowait on some kernels) keeps
 * its previous value so rates never see a reset.
 */
public final class CpuCollector implements Collector {
  static final double USER_HZ = 100.0;
  private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};

  /** node_exporter's --collector.cpu.* flags; the include patterns are null when not set. */
  public record Options(boolean guest, boolean info, Pattern flagsInclude, Pattern bugsInclude) {
    public static final Options DEFAULTS = new Options(true, false, null, null);
  }

  private final HostPaths paths;
  private final Options options;
  private final Map<String, double[]> last = new HashMap<>();

  public CpuCollector(HostPaths paths) {
    this(paths, Options.DEFAULTS);
  }

  public CpuCollector(HostPaths paths, Options options) {
    this.paths = paths;
    this.options = options;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    if (options.info()) {
      CpuInfo.info(paths, sink, options.flagsInclude(), options.bugsInclude());
    }
    MetricSink.Family seconds = sink.counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.",
        "cpu", "mode");
    MetricSink.Family guest = !options.guest() ? null : sink.counter("node_cpu_guest_seconds_total",
        "Seconds the CPUs spent in guests (VMs) for each mode.", "cpu", "mode");
    for (String line : Fields.lines(HostPaths.read(paths.proc("stat")))) {
      if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
        continue;
      }
      List<String> f = Fields.split(line);
      String cpu = f.get(0).substring(3);
      double[] values = new double[10];
      for (int i = 0; i < 10 && i + 1 < f.size(); i++) {
        values[i] = Long.parseLong(f.get(i + 1)) / USER_HZ;
      }
      double[] previous = last.get(cpu);
      if (previous != null) {
        for (int i = 0; i < values.length; i++) {
          values[i] = Math.max(values[i], previous[i]);
        }
      }
      last.put(cpu, values);
      for (int i = 0; i < MODES.length; i++) {
        seconds.add(values[i], cpu, MODES[i]);
      }
      if (guest != null) {
        guest.add(values[8], cpu, "user");
        guest.add(values[9], cpu, "nice");
      }
    }
    CpuInfo.isolated(paths, sink);
    CpuInfo.throttles(paths, sink);
  }
}
