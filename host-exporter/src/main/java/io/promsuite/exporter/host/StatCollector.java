package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.util.List;

/**
 * node_exporter's {@code stat} collector: boot time, context switches, forks, interrupts and
 * runnable/blocked processes, all from one read of /proc/stat as node_exporter's procfs does.
 */
public final class StatCollector implements Collector {
  private static final String[] SOFTIRQ_VECTORS =
      {"hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu"};

  private final HostPaths paths;
  private final boolean softirq;

  public StatCollector(HostPaths paths) {
    this(paths, false);
  }

  /** @param softirq --collector.stat.softirq: also {@code node_softirqs_total{vector}} */
  public StatCollector(HostPaths paths, boolean softirq) {
    this.paths = paths;
    this.softirq = softirq;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    double intr = 0;
    double ctxt = 0;
    double forks = 0;
    double running = 0;
    double blocked = 0;
    double btime = Double.NaN;
    List<String> softirqs = List.of();
    for (String line : Fields.lines(HostPaths.read(paths.proc("stat")))) {
      int sp = line.indexOf(' ');
      if (sp < 0) {
        continue;
      }
      String key = line.substring(0, sp);
      switch (key) {
        case "btime" -> btime = Double.parseDouble(line.substring(sp + 1).trim());
        case "intr" -> intr = Double.parseDouble(Fields.split(line).get(1));
        case "ctxt" -> ctxt = Double.parseDouble(line.substring(sp + 1).trim());
        case "processes" -> forks = Double.parseDouble(line.substring(sp + 1).trim());
        case "procs_running" -> running = Double.parseDouble(line.substring(sp + 1).trim());
        case "procs_blocked" -> blocked = Double.parseDouble(line.substring(sp + 1).trim());
        case "softirq" -> softirqs = Fields.split(line);
        default -> { }
      }
    }
    if (Double.isNaN(btime)) {
      throw new IllegalStateException("no btime in " + paths.proc("stat"));
    }
    sink.gauge("node_boot_time_seconds", "Node boot time, in unixtime.").add(btime);
    sink.counter("node_context_switches_total", "Total number of context switches.").add(ctxt);
    sink.counter("node_forks_total", "Total number of forks.").add(forks);
    sink.counter("node_intr_total", "Total number of interrupts serviced.").add(intr);
    sink.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.").add(blocked);
    sink.gauge("node_procs_running", "Number of processes in runnable state.").add(running);
    if (softirq) {
      MetricSink.Family f = sink.counter("node_softirqs_total", "Number of softirq calls.", "vector");
      for (int i = 0; i < SOFTIRQ_VECTORS.length; i++) {
        // "softirq <total> <hi> <timer> ...": a vector the kernel does not list counts 0, as in procfs.
        f.add(i + 2 < softirqs.size() ? Double.parseDouble(softirqs.get(i + 2)) : 0, SOFTIRQ_VECTORS[i]);
      }
    }
  }
}
