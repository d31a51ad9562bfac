package io.promsuite.exporter.container.source;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * cAdvisor's metric groups ({@code --disable_metrics} / {@code --enable_metrics} names): which
 * families are read and served. The default is cAdvisor's: everything but the groups it keeps off.
 */
public final class MetricGroups {
  /** Every group name cAdvisor accepts. */
  public static final Set<String> ALL = Collections.unmodifiableSet(new TreeSet<>(List.of("advtcp", "app", "cpu",
      "cpuLoad", "cpu_topology", "cpuset", "disk", "diskIO", "hugetlb", "memory", "memory_numa", "network",
      "oom_event", "percpu", "perf_event", "pressure", "process", "referenced_memory", "resctrl", "sched", "tcp",
      "udp")));

  /** cAdvisor's default {@code --disable_metrics}. */
  public static final String DEFAULT_DISABLED =
      "advtcp,cpu_topology,cpuset,hugetlb,memory_numa,process,referenced_memory,resctrl,sched,tcp,udp";

  /** cAdvisor's defaults. */
  public static final MetricGroups DEFAULT = new MetricGroups(difference(ALL, split(DEFAULT_DISABLED)));

  private final Set<String> enabled;

  private MetricGroups(Set<String> enabled) {
    this.enabled = Set.copyOf(enabled);
  }

  /**
   * The groups to serve: {@code enable} when it is not empty (it overrides {@code disable}, as in
   * cAdvisor), else every group but {@code disable}.
   *
   * @throws IllegalArgumentException naming the flag, the unknown name and the accepted ones
   */
  public static MetricGroups parse(String enable, String disable) {
    Set<String> on = check("--container.enable-metrics", enable);
    Set<String> off = check("--container.disable-metrics", disable);
    return new MetricGroups(on.isEmpty() ? difference(ALL, off) : on);
  }

  public boolean has(String group) {
    return enabled.contains(group);
  }

  @Override
  public String toString() {
    return String.join(",", new TreeSet<>(enabled));
  }

  private static Set<String> check(String flag, String value) {
    Set<String> names = split(value);
    for (String n : names) {
      if (!ALL.contains(n)) {
        throw new IllegalArgumentException("flag " + flag + ": unknown metric group '" + n + "'; accepted: "
            + String.join(",", ALL));
      }
    }
    return names;
  }

  private static Set<String> split(String value) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }
}
