package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
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
  private final Path cpuset;
  private final Path hugetlb;
  private final HostFiles host;

  public CgroupV1Reader(Path root, HostFiles host) {
    this.cpuacct = controller(root, "cpuacct");
    this.cpu = controller(root, "cpu");
    this.memory = root.resolve("memory");
    this.pids = root.resolve("pids");
    this.blkio = root.resolve("blkio");
    this.cpuset = root.resolve("cpuset");
    this.hugetlb = root.resolve("hugetlb");
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
    u.cfsBursts = CgroupFiles.get(cfs, "nr_bursts");
    u.cfsBurstNanos = CgroupFiles.get(cfs, "burst_time");

    u.memoryUsage = CgroupFiles.readLong(mem.resolve("memory.usage_in_bytes"));
    u.memoryMaxUsage = CgroupFiles.readLongIfExists(mem.resolve("memory.max_usage_in_bytes"));
    u.memoryFailcnt = CgroupFiles.readLongIfExists(mem.resolve("memory.failcnt"));
    Map<String, Long> stat = CgroupFiles.readKeyed(mem.resolve("memory.stat"));
    u.memoryRss = stat.getOrDefault("total_rss", 0L);
    u.memoryCache = stat.getOrDefault("total_cache", 0L);
    u.memorySwap = stat.getOrDefault("total_swap", 0L);
    u.memoryWorkingSet = Usage.workingSet(u.memoryUsage, CgroupFiles.get(stat, "total_inactive_file"));
    u.memory = new Usage.Memory(stat.getOrDefault("total_mapped_file", 0L), stat.getOrDefault("pgfault", 0L),
        stat.getOrDefault("pgmajfault", 0L),
        CgroupFiles.readKeyedIfExists(mem.resolve("memory.oom_control")).getOrDefault("oom_kill", Usage.UNKNOWN),
        CgroupFiles.specMemory(CgroupFiles.readLongIfExists(mem.resolve("memory.soft_limit_in_bytes"))),
        CgroupFiles.specMemory(CgroupFiles.readLongIfExists(mem.resolve("memory.memsw.limit_in_bytes"))),
        Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN,
        stat.getOrDefault("total_active_file", 0L), stat.getOrDefault("total_inactive_file", 0L), Usage.UNKNOWN,
        Usage.UNKNOWN);

    Path pidDir = pids.resolve(rel);
    u.pids = CgroupFiles.readLongIfExists(pidDir.resolve("pids.current"));
    long max = CgroupFiles.readLongIfExists(pidDir.resolve("pids.max"));
    // cAdvisor reports an unlimited pids.max as 0.
    u.pidsLimit = u.pids >= 0 && max < 0 ? 0 : max;

    if (host.options().groups().has("diskIO")) {
      u.blkio = blkio(blkio.resolve(rel));
    }
    u.networks = host.networks(pid);
    Path tasks = mem.resolve("tasks");
    u.taskStates = Files.exists(tasks) ? host.taskStates(tasks) : Map.of();
    MetricGroups g = host.options().groups();
    long migrate = g.has("cpuset") ? CgroupFiles.readLongIfExists(cpuset.resolve(rel).resolve("cpuset.memory_migrate"))
        : Usage.UNKNOWN;
    u.processes = host.processes(cpu.resolve(rel).resolve("cgroup.procs"), pid, migrate);
    if (g.has("hugetlb")) {
      u.processes = u.processes.withHugetlb(CgroupFiles.readHugetlb(hugetlb.resolve(rel), false));
    }
    u.optIn = host.optIn(cpu.resolve(rel), mem, pid, false);
    return u.build();
  }

  /**
   * libcontainer's choice of blkio files, which cAdvisor reports: the first group whose first file
   * has a device line wins (bfq debug, bfq, cfq, throttle recursive, throttle); a later file of the
   * group that is missing or empty ends the reading there.
   */
  private Map<Usage.Blkio, List<Usage.DeviceOps>> blkio(Path dir) throws IOException {
    List<Usage.Blkio> all = List.of(Usage.Blkio.SECTORS, Usage.Blkio.SERVICE_TIME, Usage.Blkio.WAIT_TIME,
        Usage.Blkio.MERGED, Usage.Blkio.QUEUED, Usage.Blkio.TIME, Usage.Blkio.SERVICED, Usage.Blkio.SERVICE_BYTES);
    List<Usage.Blkio> counts = List.of(Usage.Blkio.SERVICED, Usage.Blkio.SERVICE_BYTES);
    List<List<String>> groups = List.of(
        all.stream().map(k -> "blkio.bfq." + k.file).toList(),
        counts.stream().map(k -> "blkio.bfq." + k.file).toList(),
        all.stream().map(k -> "blkio." + k.file).toList(),
        List.of("blkio.throttle.io_serviced_recursive", "blkio.throttle.io_service_bytes_recursive"),
        List.of("blkio.throttle.io_serviced", "blkio.throttle.io_service_bytes"));
    Map<Usage.Blkio, List<Usage.DeviceOps>> out = new EnumMap<>(Usage.Blkio.class);
    for (List<String> files : groups) {
      List<Usage.Blkio> kinds = files.size() == all.size() ? all : counts;
      for (int i = 0; i < files.size(); i++) {
        List<Usage.DeviceOps> table = CgroupFiles.readBlkio(dir.resolve(files.get(i)), host::deviceName);
        if (table == null || table.isEmpty()) {
          if (i == 0) {
            break;
          }
          return out;
        }
        out.put(kinds.get(i), table);
        if (i == files.size() - 1) {
          return out;
        }
      }
    }
    return out;
  }
}
