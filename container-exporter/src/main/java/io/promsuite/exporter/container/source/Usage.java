package io.promsuite.exporter.container.source;

import java.util.List;
import java.util.Map;

/**
 * One reading of a container's resource usage, from the cgroup filesystem or the Engine stats API,
 * in the units the metrics use (nanoseconds and bytes; the collector converts to seconds). A value
 * of {@link #UNKNOWN} means the source does not provide it and the series is left out.
 *
 * @param perCpuNanos per-CPU usage, empty where the source has none (cgroup v2)
 * @param taskStates task counts by state (sleeping, running, stopped, uninterruptible,
 *     iowaiting), empty where not read
 */
public record Usage(
    long cpuTotalNanos,
    long cpuUserNanos,
    long cpuSystemNanos,
    List<Long> perCpuNanos,
    long cfsPeriods,
    long cfsThrottledPeriods,
    long cfsThrottledNanos,
    long cfsBursts,
    long cfsBurstNanos,
    long memoryUsage,
    long memoryWorkingSet,
    long memoryRss,
    long memoryCache,
    long memorySwap,
    long memoryFailcnt,
    long memoryMaxUsage,
    long pids,
    long pidsLimit,
    List<NetworkInterface> networks,
    Map<Blkio, List<DeviceOps>> blkio,
    Map<String, Long> taskStates,
    Memory memory,
    Pressure pressure,
    Processes processes,
    OptIn optIn) {

  /** Marks a value the source does not provide. */
  public static final long UNKNOWN = -1;

  public Usage {
    perCpuNanos = List.copyOf(perCpuNanos);
    networks = List.copyOf(networks);
    blkio = Map.copyOf(blkio);
    taskStates = Map.copyOf(taskStates);
  }

  /**
   * The per-device block I/O tables, as cAdvisor keeps them (libcontainer's names): on cgroup v1
   * the first blkio file group that has data (bfq debug, bfq, cfq, throttle); on v2 io.stat gives
   * only {@link #SERVICE_BYTES} and {@link #SERVICED}.
   */
  public enum Blkio {
    SERVICE_BYTES("io_service_bytes_recursive"),
    SERVICED("io_serviced_recursive"),
    QUEUED("io_queued_recursive"),
    SECTORS("sectors_recursive"),
    SERVICE_TIME("io_service_time_recursive"),
    WAIT_TIME("io_wait_time_recursive"),
    MERGED("io_merged_recursive"),
    TIME("time_recursive");

    /** The v1 file name after {@code blkio.} (cfq) or {@code blkio.bfq.}. */
    public final String file;

    Blkio(String file) {
      this.file = file;
    }
  }

  /**
   * One device's line(s) of a blkio table: operation (Read, Write, Sync, Async, Discard, Total;
   * "Count" for files without one, as cAdvisor names it) to value. Kept as one array per device
   * (a snapshot holds thousands of these for a whole refresh interval).
   *
   * @param values by {@link #OPS} index, {@link #UNKNOWN} where the file has no such line
   */
  public record DeviceOps(String device, long major, long minor, long[] values) {
    /** The operations of blkio files and io.stat, in cAdvisor's spelling. */
    public static final List<String> OPS = List.of("Read", "Write", "Sync", "Async", "Discard", "Total", "Count");

    /** From operation names; names outside {@link #OPS} are dropped (no cAdvisor family has them). */
    public DeviceOps(String device, long major, long minor, Map<String, Long> ops) {
      this(device, major, minor, toArray(ops));
    }

    private static long[] toArray(Map<String, Long> ops) {
      long[] v = new long[OPS.size()];
      java.util.Arrays.fill(v, UNKNOWN);
      ops.forEach((op, value) -> {
        int i = OPS.indexOf(op);
        if (i >= 0) {
          v[i] = value;
        }
      });
      return v;
    }

    /** The value of {@code op}, 0 when the file has no such line (as cAdvisor reads a missing map key). */
    public long op(String op) {
      int i = OPS.indexOf(op);
      return i < 0 || values[i] < 0 ? 0 : values[i];
    }

    /** The operations present, in {@link #OPS} order. */
    public Map<String, Long> ops() {
      Map<String, Long> out = new java.util.LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        if (values[i] >= 0) {
          out.put(OPS.get(i), values[i]);
        }
      }
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DeviceOps d && d.device.equals(device) && d.major == major && d.minor == minor
          && java.util.Arrays.equals(d.values, values);
    }

    @Override
    public int hashCode() {
      return device.hashCode() * 31 + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "DeviceOps[" + device + " " + major + ":" + minor + " " + ops() + "]";
    }
  }

  /**
   * Memory counters beyond the basic ones; {@link #UNKNOWN} where the source does not have them.
   *
   * @param mappedFile total_mapped_file (v1) / file_mapped (v2)
   * @param pgfault memory.stat pgfault (cAdvisor uses it for both scopes)
   * @param pgmajfault memory.stat pgmajfault
   * @param oomKills OOM kills in the container's cgroup (memory.oom_control / memory.events oom_kill)
   * @param reservation memory.soft_limit_in_bytes (v1) / memory.min (v2); 0 when unlimited
   * @param swapLimit memory.memsw.limit_in_bytes (v1) / memory.swap.max (v2); 0 when unlimited
   * @param fileDirty v2 only, as the next five
   * @param activeFile total_active_file (v1) / active_file (v2)
   * @param eventsHigh memory.events high (v2 only, as eventsMax)
   */
  public record Memory(long mappedFile, long pgfault, long pgmajfault, long oomKills, long reservation,
      long swapLimit, long fileDirty, long fileWriteback, long pgscan, long pgsteal, long refaultAnon,
      long refaultFile, long activeFile, long inactiveFile, long eventsHigh, long eventsMax) {
    public static final Memory NONE = new Memory(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN,
        UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
  }

  /**
   * PSI totals in microseconds (cgroup v2 cpu.pressure, memory.pressure, io.pressure); {@link #UNKNOWN}
   * where absent.
   */
  public record Pressure(long cpuSome, long cpuFull, long memorySome, long memoryFull, long ioSome, long ioFull) {
    public static final Pressure NONE = new Pressure(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
  }

  /**
   * cAdvisor's process group and the per-container /proc readings of the opt-in groups;
   * {@link #UNKNOWN} or empty where not read.
   *
   * @param tcp connections of /proc/PID/net/tcp by cAdvisor's state name; tcp6, udp, udp6 alike
   * @param hugetlb page size (e.g. 2MB) to {usage, max usage, failcnt}, {@link #UNKNOWN} where absent
   */
  public record Processes(long processes, long fileDescriptors, long sockets, Map<String, Long> tcp,
      Map<String, Long> tcp6, Map<String, Long> udp, Map<String, Long> udp6, Map<String, long[]> hugetlb,
      long memoryMigrate) {
    public static final Processes NONE = new Processes(UNKNOWN, UNKNOWN, UNKNOWN, Map.of(), Map.of(), Map.of(),
        Map.of(), Map.of(), UNKNOWN);

    /** The same readings with the hugetlb group's. */
    public Processes withHugetlb(Map<String, long[]> pages) {
      return new Processes(processes, fileDescriptors, sockets, tcp, tcp6, udp, udp6, Map.copyOf(pages), memoryMigrate);
    }
  }

  /**
   * The readings of cAdvisor's off-by-default sched, referenced_memory, memory_numa and advtcp
   * groups; {@link #UNKNOWN} or empty where not read.
   *
   * @param runNanos /proc/PID/schedstat of the container's processes, summed (with what exited
   *     processes had last), as runqueueNanos and runPeriods
   * @param referencedBytes the Referenced lines of /proc/PID/smaps of the container's processes
   * @param numaPages memory.numa_stat by type, scope and node, in pages
   * @param advancedTcp the Tcp and TcpExt counters of /proc/PID/net/snmp and netstat by cAdvisor's
   *     tcp_state label, in cAdvisor's order
   */
  public record OptIn(long runNanos, long runqueueNanos, long runPeriods, long referencedBytes,
      List<NumaPages> numaPages, Map<String, Long> advancedTcp) {
    public static final OptIn NONE = new OptIn(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, List.of(), Map.of());

    public OptIn {
      numaPages = List.copyOf(numaPages);
    }
  }

  /** Pages of one type (file, anon, unevictable) on one NUMA node, in one scope (container, hierarchy). */
  public record NumaPages(String type, String scope, int node, long pages) {}

  /** The same reading with {@code oomKills} OOM kills (the Engine API source counts them from events). */
  public Usage withOomKills(long oomKills) {
    Memory m = memory;
    return new Usage(cpuTotalNanos, cpuUserNanos, cpuSystemNanos, perCpuNanos, cfsPeriods, cfsThrottledPeriods,
        cfsThrottledNanos, cfsBursts, cfsBurstNanos, memoryUsage, memoryWorkingSet, memoryRss, memoryCache, memorySwap,
        memoryFailcnt, memoryMaxUsage, pids, pidsLimit, networks, blkio, taskStates,
        new Memory(m.mappedFile, m.pgfault, m.pgmajfault, oomKills, m.reservation, m.swapLimit, m.fileDirty,
            m.fileWriteback, m.pgscan, m.pgsteal, m.refaultAnon, m.refaultFile, m.activeFile, m.inactiveFile,
            m.eventsHigh, m.eventsMax), pressure, processes, optIn);
  }

  /** Counters of one network interface inside the container (from /proc/PID/net/dev). */
  public record NetworkInterface(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
      long txBytes, long txPackets, long txErrors, long txDropped) {}


  public static Builder builder() {
    return new Builder();
  }

  /** Collects the values a reader finds; anything not set stays {@link #UNKNOWN}. */
  public static final class Builder {
    public long cpuTotalNanos = UNKNOWN;
    public long cpuUserNanos = UNKNOWN;
    public long cpuSystemNanos = UNKNOWN;
    public List<Long> perCpuNanos = List.of();
    public long cfsPeriods = UNKNOWN;
    public long cfsThrottledPeriods = UNKNOWN;
    public long cfsThrottledNanos = UNKNOWN;
    public long cfsBursts = UNKNOWN;
    public long cfsBurstNanos = UNKNOWN;
    public long memoryUsage = UNKNOWN;
    public long memoryWorkingSet = UNKNOWN;
    public long memoryRss = UNKNOWN;
    public long memoryCache = UNKNOWN;
    public long memorySwap = UNKNOWN;
    public long memoryFailcnt = UNKNOWN;
    public long memoryMaxUsage = UNKNOWN;
    public long pids = UNKNOWN;
    public long pidsLimit = UNKNOWN;
    public List<NetworkInterface> networks = List.of();
    public Map<Blkio, List<DeviceOps>> blkio = Map.of();
    public Map<String, Long> taskStates = Map.of();
    public Memory memory = Memory.NONE;
    public Pressure pressure = Pressure.NONE;
    public Processes processes = Processes.NONE;
    public OptIn optIn = OptIn.NONE;

    private Builder() {}

    public Usage build() {
      return new Usage(cpuTotalNanos, cpuUserNanos, cpuSystemNanos, perCpuNanos, cfsPeriods, cfsThrottledPeriods,
          cfsThrottledNanos, cfsBursts, cfsBurstNanos, memoryUsage, memoryWorkingSet, memoryRss, memoryCache, memorySwap, memoryFailcnt,
          memoryMaxUsage, pids, pidsLimit, networks, blkio, taskStates, memory, pressure, processes, optIn);
    }
  }

  /** cAdvisor's working set: usage minus inactive file pages, never below zero. */
  public static long workingSet(long usage, long inactiveFile) {
    if (usage < 0) {
      return UNKNOWN;
    }
    return inactiveFile < 0 ? usage : Math.max(0, usage - inactiveFile);
  }
}
