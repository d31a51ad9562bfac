package io.promsuite.exporter.container.source;

import io.promsuite.exporter.common.collect.PageSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The readers of cAdvisor's off-by-default sched, referenced_memory, memory_numa and advtcp
 * groups, for both cgroup layouts; only the groups that are on are read (none by default).
 */
final class OptInGroups {
  private final Path procRoot;
  private final MetricGroups groups;
  private final SchedulerStats sched;
  private final ReferencedMemory referenced;

  OptInGroups(Path procRoot, HostFiles.Options options) {
    this.procRoot = procRoot;
    this.groups = options.groups();
    this.sched = new SchedulerStats(procRoot);
    this.referenced = new ReferencedMemory(procRoot, options.referencedResetInterval());
  }

  /**
   * @param procsDir the cgroup whose processes are read (sched: it and its descendants)
   * @param memoryDir the memory cgroup (memory.numa_stat)
   * @param pid the container's first process (its network namespace, for advtcp)
   */
  Usage.OptIn read(Path procsDir, Path memoryDir, long pid, boolean v2) throws IOException {
    MetricGroups g = groups;
    if (!g.has("sched") && !g.has("referenced_memory") && !g.has("memory_numa") && !g.has("advtcp")) {
      return Usage.OptIn.NONE;
    }
    long[] run = g.has("sched") ? sched.read(procsDir) : new long[] {Usage.UNKNOWN, Usage.UNKNOWN, Usage.UNKNOWN};
    long refs = g.has("referenced_memory") ? referenced.read(procsDir) : Usage.UNKNOWN;
    List<Usage.NumaPages> numa = g.has("memory_numa")
        ? NumaStat.read(memoryDir.resolve("memory.numa_stat"), v2, v2 ? PageSize.bytes() : 1) : List.of();
    Map<String, Long> tcp = pid > 0 && g.has("advtcp") ? AdvancedTcp.read(procRoot, pid) : Map.of();
    return new Usage.OptIn(run[0], run[1], run[2], refs, numa, tcp);
  }
}
