package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** cAdvisor's --disable_metrics / --enable_metrics meaning, under our flag names. */
class MetricGroupsTest {

  @Test
  void theDefaultIsCadvisorsEverythingButTheGroupsItKeepsOff() {
    MetricGroups d = MetricGroups.parse("", MetricGroups.DEFAULT_DISABLED);
    assertEquals("app,cpu,cpuLoad,disk,diskIO,memory,network,oom_event,percpu,perf_event,pressure", d.toString());
    for (String off : new String[] {"process", "tcp", "udp", "advtcp", "sched", "hugetlb", "cpuset", "referenced_memory",
        "memory_numa", "cpu_topology", "resctrl"}) {
      assertFalse(d.has(off), off);
    }
  }

  @Test
  void enableOverridesDisableAndAnEmptyDisableListServesEverything() {
    MetricGroups on = MetricGroups.parse("process, tcp", "cpu,memory");
    assertTrue(on.has("process") && on.has("tcp"));
    assertFalse(on.has("cpu"), "only the enabled groups");
    assertEquals(MetricGroups.ALL.size(), MetricGroups.parse("", "").toString().split(",").length);
    assertFalse(MetricGroups.parse("", "diskIO,oom_event").has("diskIO"));
  }

  @Test
  void anUnknownGroupIsRefusedInOneLineNamingTheFlagAndTheAcceptedNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricGroups.parse("cpu,disk_io", ""));
    assertEquals("flag --container.enable-metrics: unknown metric group 'disk_io'; accepted: advtcp,app,cpu,cpuLoad,"
        + "cpu_topology,cpuset,disk,diskIO,hugetlb,memory,memory_numa,network,oom_event,percpu,perf_event,pressure,"
        + "process,referenced_memory,resctrl,sched,tcp,udp", e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricGroups.parse("", "Memory")).getMessage()
        .startsWith("flag --container.disable-metrics: unknown metric group 'Memory'"), "names are case-sensitive");
  }
}
