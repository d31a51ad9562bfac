package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code node_cpu_*frequency*_hertz{cpu}} from /sys/devices/system/cpu/cpuN/cpufreq (kHz in the files). */
public final class CpufreqCollector implements Collector {
  private static final String[][] FILES = {
      {"cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current cpu thread frequency in hertz."},
      {"cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz."},
      {"cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz."},
      {"scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."},
      {"scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."},
      {"scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."}};

  private static final String[] REQUIRED = {
      "scaling_available_governors", "scaling_driver", "scaling_governor", "related_cpus", "scaling_setspeed"};

  private final HostPaths paths;

  public CpufreqCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    List<Path> cpus = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(paths.sys("devices/system/cpu"), "cpu[0-9]*")) {
      s.forEach(cpus::add);
    }
    cpus.sort(null);
    for (Path cpu : cpus) {
      Path freq = cpu.resolve("cpufreq");
      if (!Files.isDirectory(freq)) {
        continue;
      }
      String name = cpu.getFileName().toString().substring(3);
      // procfs fails the whole collector when one of these is missing; so do we.
      for (String required : REQUIRED) {
        HostPaths.read(freq.resolve(required));
      }
      for (String[] f : FILES) {
        Path file = freq.resolve(f[0]);
        String value;
        try {
          value = HostPaths.readLine(file);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
          // cpuinfo_cur_freq is root-only and some drivers lack attributes: left out, as procfs does.
          continue;
        }
        try {
          sink.gauge(f[1], f[2], "cpu").add(Long.parseUnsignedLong(value) * 1000.0, name);
        } catch (NumberFormatException e) {
          throw new IOException(file + ": not a number: '" + value + "'");
        }
      }
    }
  }
}
