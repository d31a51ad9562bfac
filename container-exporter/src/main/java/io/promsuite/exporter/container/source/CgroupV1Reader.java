package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v1: one hierarchy per controller under the root ({@code cpuacct/}, {@code cpu/},
 * {@code memory/}, {@code pids/}, {@code blkio/}, possibly co-mounted as {@code cpu,cpuacct/}).
 * CPU total and per-CPU in nanoseconds from {@code cpuacct.usage*}, user/system in USER_HZ ticks
 * from {@code cpuacct.stat}; memory from the hierarchical {@code total_*} fields of {@code memory.stat}
 * as cAdvisor reads them.
 */
public final class CgroupV1Reader implements CgroupReader {
  private final Path cpuacct;
  private final Path cpu;
  private final Path memory;
  private final Path pids;
  private final Path blkio;
  private final HostFiles host;

  public CgroupV1Reader(Path root, HostFiles host) {
    this.cpuacct = controller(root, "cpuacct");
    this.cpu = controller(root, "cpu");
    this.memory = root.resolve("memory");
    this.pids = root.resolve("pids");
    this.blkio = root.resolve("blkio");
    this.host = host;
  }

  /** The controller's directory, also when it is co-mounted with another ({@code cpu,cpuacct}). */
  private static Path controller(Path root, String name) {
    Path plain = root.resolve(name);
    if (Files.isDirectory(plain)) {
      return plain;
    }
    for (String combined : new String[] {"cpu,cpuacct", "cpuacct,cpu"}) {
      if (Files.isDirectory(root.resolve(combined))) {
        return root.resolve(combined);
      }
    }
    return plain;
  }

  @Override
  public String version() {
    return "v1";
  }

  @Override
  public String locate(long pid) throws IOException {
    return host.cgroupPath(pid, false);
  }

  @Override
  public Usage read(String cgroupPath, long pid) throws IOException {
    String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    Path acct = cpuacct.resolve(rel);
    Path mem = memory.resolve(rel);
    if (!Files.isDirectory(mem) && !Files.isDirectory(acct)) {
      throw new NoSuchFileException(mem.toString(), null, "cgroup of the container not found (it may have stopped)");
    }
    Usage.Builder u = Usage.builder();
    u.cpuTotalNanos = CgroupFiles.readLong(acct.resolve("cpuacct.usage"));
    Map<String, Long> ticks = CgroupFiles.readKeyed(acct.resolve("cpuacct.stat"));
    long nanosPerTick = 1_000_000_000L / host.options().userHz();
    u.cpuUserNanos = ticks.getOrDefault("user", 0L) * nanosPerTick;
    u.cpuSystemNanos = ticks.getOrDefault("system", 0L) * nanosPerTick;
    Path percpu = acct.resolve("cpuacct.usage_percpu");
    if (Files.exists(percpu)) {
      u.perCpuNanos = CgroupFiles.readLongs(percpu);
    }
    Map<String, Long> cfs = CgroupFiles.readKeyedIfExists(cpu.resolve(rel).resolve("cpu.stat"));
    u.cfsPeriods = CgroupFiles.get(cfs, "nr_periods");
    u.cfsThrottledPeriods = CgroupFiles.get(cfs, "nr_throttled");
    u.cfsThrottledNanos = CgroupFiles.get(cfs, "throttled_time");

    u.memoryUsage = CgroupFiles.readLong(mem.resolve("memory.usage_in_bytes"));
    u.memoryMaxUsage = CgroupFiles.readLongIfExists(mem.resolve("memory.max_usage_in_bytes"));
    u.memoryFailcnt = CgroupFiles.readLongIfExists(mem.resolve("memory.failcnt"));
    Map<String, Long> stat = CgroupFiles.readKeyed(mem.resolve("memory.stat"));
    u.memoryRss = stat.getOrDefault("total_rss", 0L);
    u.memoryCache = stat.getOrDefault("total_cache", 0L);
    u.memorySwap = stat.getOrDefault("total_swap", 0L);
    u.memoryWorkingSet = Usage.workingSet(u.memoryUsage, CgroupFiles.get(stat, "total_inactive_file"));

    Path pidDir = pids.resolve(rel);
    u.pids = CgroupFiles.readLongIfExists(pidDir.resolve("pids.current"));
    long max = CgroupFiles.readLongIfExists(pidDir.resolve("pids.max"));
    // cAdvisor reports an unlimited pids.max as 0.
    u.pidsLimit = u.pids >= 0 && max < 0 ? 0 : max;

    u.blockIo = blockIo(blkio.resolve(rel));
    u.networks = host.networks(pid);
    Path tasks = mem.resolve("tasks");
    u.taskStates = Files.exists(tasks) ? host.taskStates(tasks) : Map.of();
    return u.build();
  }

  /** Bytes per device from {@code blkio.throttle.io_service_bytes_recursive} ("8:0 Read 4096" lines). */
  private List<Usage.BlockIo> blockIo(Path dir) throws IOException {
    Path file = dir.resolve("blkio.throttle.io_service_bytes_recursive");
    if (!Files.exists(file)) {
      file = dir.resolve("blkio.io_service_bytes_recursive");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    Map<String, long[]> byDevice = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 3) {
        continue; // the "Total N" line
      }
      long[] rw = byDevice.computeIfAbsent(f[0], k -> new long[2]);
      switch (f[1]) {
        case "Read" -> rw[0] += CgroupFiles.parse(file, f[2]);
        case "Write" -> rw[1] += CgroupFiles.parse(file, f[2]);
        default -> { }
      }
    }
    List<Usage.BlockIo> out = new ArrayList<>();
    byDevice.forEach((mm, rw) -> out.add(new Usage.BlockIo(host.deviceName(mm), rw[0], rw[1])));
    return out;
  }
}
