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
    List<BlockIo> blockIo,
    Map<String, Long> taskStates) {

  /** Marks a value the source does not provide. */
  public static final long UNKNOWN = -1;

  public Usage {
    perCpuNanos = List.copyOf(perCpuNanos);
    networks = List.copyOf(networks);
    blockIo = List.copyOf(blockIo);
    taskStates = Map.copyOf(taskStates);
  }

  /** Counters of one network interface inside the container (from /proc/PID/net/dev). */
  public record NetworkInterface(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
      long txBytes, long txPackets, long txErrors, long txDropped) {}

  /** Bytes read and written on one block device. */
  public record BlockIo(String device, long readBytes, long writeBytes) {}

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
    public List<BlockIo> blockIo = List.of();
    public Map<String, Long> taskStates = Map.of();

    private Builder() {}

    public Usage build() {
      return new Usage(cpuTotalNanos, cpuUserNanos, cpuSystemNanos, perCpuNanos, cfsPeriods, cfsThrottledPeriods,
          cfsThrottledNanos, memoryUsage, memoryWorkingSet, memoryRss, memoryCache, memorySwap, memoryFailcnt,
          memoryMaxUsage, pids, pidsLimit, networks, blockIo, taskStates);
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
