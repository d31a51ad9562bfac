package io.promsuite.exporter.common;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.collect.PageSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Go exporters' process collector (client_golang's, through procfs): {@code process_*} from
 * one read each of /proc/self/stat, /proc/self/limits and the /proc/self/fd listing, with the same
 * names, help, units and rules (CPU and start time in USER_HZ ticks of 1/100 s, resident memory in
 * pages, "unlimited" as 2^64 - 1). client_java's ProcessMetrics gives the same figures through the
 * platform MXBeans, whose set-up cost ~80 ms of every start and whose reflective getters and
 * twice-read /proc/self/status cost more per scrape than the whole of this. A file that cannot be
 * read leaves its families out (not Linux); the rest are still served.
 */
final class ProcessCollector implements MultiCollector {
  private static final double USER_HZ = 100;
  private static final double UNLIMITED = 18446744073709551615.0;

  private final Path proc;
  private final double bootTime;

  /** @param proc the process's directory, /proc/self in production */
  ProcessCollector(Path proc, double bootTime) {
    this.proc = proc;
    this.bootTime = bootTime;
  }

  /** The collector of this JVM's own process. */
  static ProcessCollector self() {
    return new ProcessCollector(Path.of("/proc/self"), bootTime(Path.of("/proc/stat")));
  }

  /** btime of /proc/stat, seconds since the epoch; NaN without it. */
  static double bootTime(Path procStat) {
    try {
      for (String line : Files.readAllLines(procStat, StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("btime ")) {
          return Double.parseDouble(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc/stat: no start time
    }
    return Double.NaN;
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>(7);
    try {
      String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      double ticks = Double.parseDouble(f[11]) + Double.parseDouble(f[12]);
      out.add(CounterSnapshot.builder().name("process_cpu_seconds")
          .help("Total user and system CPU time spent in seconds.")
          .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(ticks / USER_HZ).build()).build());
      out.add(gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
          Double.parseDouble(f[21]) * PageSize.bytes()));
      if (!Double.isNaN(bootTime)) {
        out.add(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
            bootTime + Double.parseDouble(f[19]) / USER_HZ));
      }
      out.add(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", Double.parseDouble(f[20])));
    } catch (IOException | RuntimeException e) {
      // not Linux: no stat families
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      int n = 0;
      for (Path ignored : fds) {
        n++;
      }
      out.add(gauge("process_open_fds", "Number of open file descriptors.", n));
    } catch (IOException | RuntimeException e) {
      // no fd listing
    }
    try {
      for (String line : Files.readAllLines(proc.resolve("limits"), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("Max open files")) {
          out.add(gauge("process_max_fds", "Maximum number of open file descriptors.", softLimit(line, "Max open files")));
        } else if (line.startsWith("Max address space")) {
          out.add(gauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.",
              softLimit(line, "Max address space")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no limits
    }
    return new MetricSnapshots(out);
  }

  private static double softLimit(String line, String name) {
    String soft = line.substring(name.length()).trim().split("\\s+")[0];
    return soft.equals("unlimited") ? UNLIMITED : Double.parseDouble(soft);
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
  }
}
