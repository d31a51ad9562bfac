package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v2 (unified): one directory per cgroup with {@code cpu.stat} in microseconds,
 * {@code memory.current}/{@code memory.stat} (anon, file, inactive_file), {@code memory.swap.current},
 * {@code memory.events} (its {@code max} count is the v1 failcnt), {@code pids.*} and {@code io.stat}.
 * There is no per-CPU usage in v2.
 */
public final class CgroupV2Reader implements CgroupReader {
  private final Path root;
  private final HostFiles host;

  public CgroupV2Reader(Path root, HostFiles host) {
    this.root = root;
    this.host = host;
  }

  @Override
  public String version() {
    return "v2";
  }

  @Override
  public String locate(long pid) throws IOException {
    return host.cgroupPath(pid, true);
  }

  @Override
  public Usage read(String cgroupPath, long pid) throws IOException {
    Path dir = root.resolve(cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "cgroup of the container not found (it may have stopped)");
    }
    Usage.Builder u = Usage.builder();
    Map<String, Long> cpu = CgroupFiles.readKeyed(dir.resolve("cpu.stat"));
    u.cpuTotalNanos = micros(cpu, "usage_usec");
    u.cpuUserNanos = micros(cpu, "user_usec");
    u.cpuSystemNanos = micros(cpu, "system_usec");
    u.cfsPeriods = CgroupFiles.get(cpu, "nr_periods");
    u.cfsThrottledPeriods = CgroupFiles.get(cpu, "nr_throttled");
    u.cfsThrottledNanos = micros(cpu, "throttled_usec");
    u.cfsBursts = CgroupFiles.get(cpu, "nr_bursts");
    u.cfsBurstNanos = micros(cpu, "burst_usec");

    u.memoryUsage = CgroupFiles.readLong(dir.resolve("memory.current"));
    u.memoryMaxUsage = CgroupFiles.readLongIfExists(dir.resolve("memory.peak"));
    Map<String, Long> stat = CgroupFiles.readKeyed(dir.resolve("memory.stat"));
    u.memoryRss = stat.getOrDefault("anon", 0L);
    u.memoryCache = stat.getOrDefault("file", 0L);
    long swap = CgroupFiles.readLongIfExists(dir.resolve("memory.swap.current"));
    u.memorySwap = swap < 0 ? 0 : swap;
    u.memoryWorkingSet = Usage.workingSet(u.memoryUsage, CgroupFiles.get(stat, "inactive_file"));
    Map<String, Long> events = CgroupFiles.readKeyedIfExists(dir.resolve("memory.events"));
    u.memoryFailcnt = CgroupFiles.get(events, "max");

    u.pids = CgroupFiles.readLongIfExists(dir.resolve("pids.current"));
    long max = CgroupFiles.readLongIfExists(dir.resolve("pids.max"));
    u.pidsLimit = u.pids >= 0 && max < 0 ? 0 : max;

    long oomKills = CgroupFiles.get(events, "oom_kill");
    u.memory = new Usage.Memory(stat.getOrDefault("file_mapped", 0L), stat.getOrDefault("pgfault", 0L),
        stat.getOrDefault("pgmajfault", 0L), oomKills,
        CgroupFiles.specMemory(CgroupFiles.readLongIfExists(dir.resolve("memory.min"))),
        CgroupFiles.specMemory(CgroupFiles.readLongIfExists(dir.resolve("memory.swap.max"))),
        stat.getOrDefault("file_dirty", 0L), stat.getOrDefault("file_writeback", 0L), stat.getOrDefault("pgscan", 0L),
        stat.getOrDefault("pgsteal", 0L), stat.getOrDefault("workingset_refault_anon", 0L),
        stat.getOrDefault("workingset_refault_file", 0L), stat.getOrDefault("active_file", 0L),
        stat.getOrDefault("inactive_file", 0L), CgroupFiles.get(events, "high"), CgroupFiles.get(events, "max"));
    if (host.options().groups().has("pressure")) {
      long[] cpuPsi = CgroupFiles.readPressure(dir.resolve("cpu.pressure"));
      long[] memPsi = CgroupFiles.readPressure(dir.resolve("memory.pressure"));
      long[] ioPsi = CgroupFiles.readPressure(dir.resolve("io.pressure"));
      u.pressure = new Usage.Pressure(cpuPsi[0], cpuPsi[1], memPsi[0], memPsi[1], ioPsi[0], ioPsi[1]);
    }
    if (host.options().groups().has("diskIO")) {
      u.blkio = ioStat(dir.resolve("io.stat"));
    }
    u.networks = host.networks(pid);
    Path threads = dir.resolve("cgroup.threads");
    u.taskStates = Files.exists(threads) ? host.taskStates(threads) : Map.of();
    long migrate = Usage.UNKNOWN; // v2 has no cpuset.memory_migrate
    u.processes = host.processes(dir.resolve("cgroup.procs"), pid, migrate);
    if (host.options().groups().has("hugetlb")) {
      u.processes = u.processes.withHugetlb(CgroupFiles.readHugetlb(dir, true));
    }
    u.optIn = host.optIn(dir, dir, pid, true);
    return u.build();
  }

  private static long micros(Map<String, Long> map, String key) {
    long v = CgroupFiles.get(map, key);
    return v < 0 ? v : v * 1000;
  }

  /**
   * "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines, as libcontainer maps them: bytes
   * and I/Os by Read, Write and Discard (other keys, such as cost.*, are not cAdvisor families).
   */
  private Map<Usage.Blkio, List<Usage.DeviceOps>> ioStat(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<String, long[]> bytes = new LinkedHashMap<>();
    Map<String, long[]> ios = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = CgroupFiles.SPACES.split(line.trim());
      if (f.length < 2) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        if (eq < 0) {
          throw new IOException(file + ": expected key=value, got '" + f[i] + "'");
        }
        String key = f[i].substring(0, eq);
        Map<String, long[]> table = key.endsWith("bytes") ? bytes : key.endsWith("ios") ? ios : null;
        int op = switch (key.charAt(0)) {
          case 'r' -> 0;
          case 'w' -> 1;
          case 'd' -> 4;
          default -> -1;
        };
        if (table != null && op >= 0 && key.length() == (table == bytes ? 6 : 4)) {
          table.computeIfAbsent(f[0], k -> CgroupFiles.unknowns())[op] = CgroupFiles.parse(file, f[i].substring(eq + 1));
        }
      }
    }
    Map<Usage.Blkio, List<Usage.DeviceOps>> out = new EnumMap<>(Usage.Blkio.class);
    if (!bytes.isEmpty()) {
      out.put(Usage.Blkio.SERVICE_BYTES, CgroupFiles.deviceOps(bytes, host::deviceName));
    }
    if (!ios.isEmpty()) {
      out.put(Usage.Blkio.SERVICED, CgroupFiles.deviceOps(ios, host::deviceName));
    }
    return out;
  }
}
