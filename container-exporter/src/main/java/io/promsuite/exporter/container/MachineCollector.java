package io.promsuite.exporter.container;

import io.promsuite.exporter.common.BuildInfo;
import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * cAdvisor's machine families dashboards divide by ({@code machine_cpu_cores},
 * {@code machine_memory_bytes}, labelled {@code boot_id}, {@code machine_id}, {@code system_uuid})
 * and its {@code cadvisor_version_info}, with this exporter's version in the cAdvisor fields.
 */
public final class MachineCollector implements Collector {
  private final Path proc;
  private final Path sys;
  private final Path rootfs;
  private final Supplier<String> dockerVersion;
  private final BuildInfo build = BuildInfo.load();

  /** @param dockerVersion the daemon's version once known, else empty */
  public MachineCollector(Path proc, Path sys, Path rootfs, Supplier<String> dockerVersion) {
    this.proc = proc;
    this.sys = sys;
    this.rootfs = rootfs;
    this.dockerVersion = dockerVersion;
  }

  /** What does not change while the machine runs, read on the first scrape. */
  private record Machine(String[] ids, long cores, long memoryBytes, String kernel, String os) {}

  private volatile Machine machine;

  @Override
  public void collect(MetricSink sink) throws IOException {
    Machine m = machine;
    if (m == null) {
      m = read();
      machine = m;
    }
    String[] labels = {"boot_id", "machine_id", "system_uuid"};
    sink.gauge("machine_cpu_cores", "Number of logical CPU cores.", labels).add(m.cores(), m.ids());
    if (m.memoryBytes() >= 0) {
      sink.gauge("machine_memory_bytes", "Amount of memory installed on the machine.", labels).add(m.memoryBytes(), m.ids());
    }
    sink.gauge("cadvisor_version_info", "A metric with a constant '1' value labeled by kernel version, OS version, "
            + "docker version, cadvisor version & cadvisor revision.",
        "cadvisorRevision", "cadvisorVersion", "dockerVersion", "kernelVersion", "osVersion")
        .add(1, build.revision(), "promsuite-container-exporter-" + build.version(), dockerVersion.get(), m.kernel(), m.os());
  }

  private Machine read() throws IOException {
    String[] ids = {firstLine(proc.resolve("sys/kernel/random/boot_id")), machineId(),
        firstLine(sys.resolve("class/dmi/id/product_uuid"))};
    long cores = Files.readAllLines(proc.resolve("cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
    long memory = -1;
    for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        String[] f = line.substring("MemTotal:".length()).trim().split(" +");
        memory = Long.parseLong(f[0]) * (f.length > 1 && f[1].equals("kB") ? 1024 : 1);
      }
    }
    return new Machine(ids, cores, memory, firstLine(proc.resolve("sys/kernel/osrelease")), osVersion());
  }

  private String machineId() {
    String id = firstLine(rootfs.resolve("etc/machine-id"));
    return id.isEmpty() ? firstLine(rootfs.resolve("var/lib/dbus/machine-id")) : id;
  }

  /** PRETTY_NAME of os-release, as cAdvisor's osVersion. */
  private String osVersion() {
    for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
      try {
        for (String line : Files.readAllLines(rootfs.resolve(file))) {
          if (line.startsWith("PRETTY_NAME=")) {
            return line.substring("PRETTY_NAME=".length()).replaceAll("^\"|\"$", "");
          }
        }
      } catch (IOException e) {
        // try the next one
      }
    }
    return "";
  }

  /** The file's first line, trimmed; empty when it cannot be read (no DMI in a VM, no machine-id). */
  private static String firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return lines.isEmpty() ? "" : lines.getFirst().trim();
    } catch (IOException e) {
      return "";
    }
  }
}
