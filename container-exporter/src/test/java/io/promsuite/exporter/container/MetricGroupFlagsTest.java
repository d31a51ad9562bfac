package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.container.source.Fixtures;
import io.promsuite.exporter.container.testing.FakeDaemon;
import io.promsuite.exporter.container.testing.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric group flags as a user meets them: cAdvisor's default set, and a typo refused at start. */
class MetricGroupFlagsTest {

  @Test
  void anUnknownGroupStopsTheExporterWithOneLineNamingIt() {
    FlagException e = assertThrows(FlagException.class,
        () -> new ExporterProcess("--container.disable-metrics=process,tcp,diskio").close());
    assertTrue(e.getMessage().startsWith("flag --container.disable-metrics: unknown metric group 'diskio'; accepted: "),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void aNegativeReferencedResetIntervalStopsTheExporterWithOneLine() {
    FlagException e = assertThrows(FlagException.class,
        () -> new ExporterProcess("--container.referenced-reset-interval=-2").close());
    assertEquals("flag --container.referenced-reset-interval: expected a count of readings (0 or more), got -2",
        e.getMessage());
  }

  @Test
  void byDefaultTheGroupsCadvisorKeepsOffAreNotServed() throws Exception {
    Path root = Fixtures.root("v1");
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(List.of(new FakeDaemon.Container("0123456789abcdef", "web",
            1234, Map.of(), 0)), "{}");
        ExporterProcess x = new ExporterProcess("--docker.host=" + daemon.host(), "--source=cgroup",
            "--path.cgroupfs=" + root.resolve("sys/fs/cgroup"), "--path.procfs=" + root.resolve("proc"),
            "--path.sysfs=" + root.resolve("sys"), "--housekeeping.interval=200ms")) {
      Exposition e = Scrape.until(x.port, Duration.ofSeconds(30), "the container's reading",
          ex -> sum(ex, "container_memory_usage_bytes", Map.of()) > 0);
      for (String off : List.of("container_threads", "container_threads_max", "container_processes",
          "container_network_tcp_usage_total", "container_network_udp_usage_total", "container_memory_migrate",
          "container_cpu_schedstat_run_seconds_total", "container_referenced_bytes", "container_memory_numa_pages",
          "container_network_advance_tcp_stats_total", "container_hugetlb_usage_bytes")) {
        assertTrue(Double.isNaN(sum(e, off, Map.of())), off + " belongs to a group cAdvisor keeps off");
      }
      assertEquals(2, sum(e, "container_oom_events_total", Map.of()), "oom_event is on by default");
      assertEquals(10, sum(e, "container_fs_reads_total", Map.of("device", "/dev/sda")), "diskIO is on by default");
    }
  }
}
