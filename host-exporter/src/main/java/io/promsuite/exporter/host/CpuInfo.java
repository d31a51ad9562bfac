package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cpu collector's families beside the seconds: {@code node_cpu_info} and the flag/bug info
 * from /proc/cpuinfo (with --collector.cpu.info), {@code node_cpu_isolated} and the thermal
 * throttle counters from sysfs.
 */
final class CpuInfo {
  private CpuInfo() {}

  static void info(HostPaths paths, MetricSink sink, Pattern flagsInclude, Pattern bugsInclude) throws IOException {
    MetricSink.Family info = sink.gauge("node_cpu_info", "CPU information from /proc/cpuinfo.", "package", "core", "cpu",
        "vendor", "family", "model", "model_name", "microcode", "stepping", "cachesize");
    List<Map<String, String>> cpus = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : Fields.lines(HostPaths.read(paths.proc("cpuinfo")))) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("processor")) {
        current = new LinkedHashMap<>();
        cpus.add(current);
      }
      if (current != null) {
        current.put(key, value);
      }
    }
    for (Map<String, String> c : cpus) {
      info.add(1, c.getOrDefault("physical id", ""), c.getOrDefault("core id", ""), c.get("processor"),
          c.getOrDefault("vendor_id", ""), c.getOrDefault("cpu family", ""), c.getOrDefault("model", ""),
          c.getOrDefault("model name", ""), c.getOrDefault("microcode", ""), c.getOrDefault("stepping", ""),
          c.getOrDefault("cache size", ""));
    }
    if (cpus.isEmpty()) {
      return;
    }
    fieldInfo(sink, cpus.getFirst().get("flags"), flagsInclude, "node_cpu_flag_info",
        "The `flags` field of CPU information from /proc/cpuinfo taken from the first core.", "flag");
    fieldInfo(sink, cpus.getFirst().get("bugs"), bugsInclude, "node_cpu_bug_info",
        "The `bugs` field of CPU information from /proc/cpuinfo taken from the first core.", "bug");
  }

  private static void fieldInfo(MetricSink sink, String values, Pattern include, String name, String help, String label) {
    if (include == null || values == null) {
      return;
    }
    MetricSink.Family f = sink.gauge(name, help, label);
    for (String v : Fields.split(values)) {
      if (include.matcher(v).find()) {
        f.add(1, v);
      }
    }
  }

  /** {@code node_cpu_isolated{cpu}} for the CPUs in /sys/devices/system/cpu/isolated (a list like 1,3-5). */
  static void isolated(HostPaths paths, MetricSink sink) throws IOException {
    String list;
    try {
      list = HostPaths.readLine(paths.sys("devices/system/cpu/isolated"));
    } catch (NoSuchFileException e) {
      return;
    }
    if (list.isEmpty()) {
      return;
    }
    MetricSink.Family f = sink.gauge("node_cpu_isolated",
        "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.", "cpu");
    for (String part : list.split(",")) {
      int dash = part.indexOf('-');
      int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).strip());
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
      for (int cpu = from; cpu <= to; cpu++) {
        f.add(1, Integer.toString(cpu));
      }
    }
  }

  /** Package and core throttle counters, each read once per package/core as node_exporter does. */
  static void throttles(HostPaths paths, MetricSink sink) throws IOException {
    List<Path> cpus = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(paths.sys("devices/system/cpu"), "cpu[0-9]*")) {
      s.forEach(cpus::add);
    } catch (NoSuchFileException e) {
      return;
    }
    cpus.sort(null);
    Map<Long, Long> packages = new TreeMap<>();
    Map<List<Long>, Long> cores = new LinkedHashMap<>();
    for (Path cpu : cpus) {
      Long pkg = number(cpu.resolve("topology/physical_package_id"));
      Long core = number(cpu.resolve("topology/core_id"));
      if (pkg == null || core == null) {
        continue;
      }
      List<Long> key = List.of(pkg, core);
      if (!cores.containsKey(key)) {
        Long n = number(cpu.resolve("thermal_throttle/core_throttle_count"));
        if (n != null) {
          cores.put(key, n);
        }
      }
      if (!packages.containsKey(pkg)) {
        Long n = number(cpu.resolve("thermal_throttle/package_throttle_count"));
        if (n != null) {
          packages.put(pkg, n);
        }
      }
    }
    if (!packages.isEmpty()) {
      MetricSink.Family f = sink.counter("node_cpu_package_throttles_total",
          "Number of times this CPU package has been throttled.", "package");
      packages.forEach((pkg, n) -> f.add(n, pkg.toString()));
    }
    if (!cores.isEmpty()) {
      MetricSink.Family f = sink.counter("node_cpu_core_throttles_total",
          "Number of times this CPU core has been throttled.", "package", "core");
      cores.forEach((key, n) -> f.add(n, key.get(0).toString(), key.get(1).toString()));
    }
  }

  private static Long number(Path file) {
    try {
      return Long.parseUnsignedLong(HostPaths.readLine(file));
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }
}
