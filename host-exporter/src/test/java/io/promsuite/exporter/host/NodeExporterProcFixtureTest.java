package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /proc collectors on a fixture tree with figures this machine's are too quiet to show
 * (per-CPU hex counters, several ARP devices, conntrack stats on two CPUs, throttles, cpufreq),
 * read by Debian's node_exporter 1.5 and by us: node_exporter's output is the expected result,
 * family by family and value by value.
 */
class NodeExporterProcFixtureTest {
  static final Path TREE = Path.of("src/test/resources/fixtures/busy").toAbsolutePath();
  static final List<String> COLLECTORS = List.of("arp", "conntrack", "cpu", "cpufreq", "entropy", "filefd", "netstat",
      "pressure", "processes", "schedstat", "sockstat", "softnet", "stat", "udp_queues", "vmstat");

  @TempDir
  Path tmp;

  private static List<String> flags(String... extra) {
    List<String> args = new ArrayList<>(List.of("--path.procfs=" + TREE.resolve("proc"), "--path.sysfs=" + TREE.resolve("sys"),
        "--path.rootfs=" + TREE.resolve("root"), "--collector.disable-defaults"));
    COLLECTORS.forEach(c -> args.add("--collector." + c));
    args.addAll(List.of(extra));
    return args;
  }

  private static boolean compared(String family) {
    return family.startsWith("node_") && !family.startsWith("node_scrape_collector_duration")
        && !family.equals("node_exporter_build_info");
  }

  @Test
  void sameFamiliesAndValuesAsNodeExporter() throws Exception {
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), flags("--collector.cpu.info",
        "--collector.cpu.info.flags-include=^avx", "--collector.cpu.info.bugs-include=spectre",
        "--collector.stat.softirq"))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], NodeExporterProcFixtureTest::compared);
      Exposition mine = Exposition.parse(bodies[0]);
      // The fixture exercised what it meant to: sums over CPUs, per-device counts, unit conversions.
      assertEquals(0xff + 1, mine.value("node_nf_conntrack_stat_invalid", Map.of()));
      assertEquals(2, mine.value("node_arp_entries", Map.of("device", "eth0")));
      assertEquals(3 * io.promsuite.exporter.common.collect.PageSize.bytes(), mine.value("node_sockstat_TCP_mem_bytes", Map.of()));
      assertEquals(2.4e9, mine.value("node_cpu_frequency_hertz", Map.of("cpu", "0")));
      assertEquals(1, mine.value("node_cpu_isolated", Map.of("cpu", "1")));
      assertEquals(1.5, mine.value("node_pressure_memory_waiting_seconds_total", Map.of()));
      assertEquals(0x200 + 0x2, mine.value("node_udp_queues", Map.of("queue", "rx", "ip", "v4")));
      assertEquals(3, mine.samples("node_cpu_flag_info").size());
      assertEquals(67785, mine.value("node_softirqs_total", Map.of("vector", "block")));
      // Thread 43 of "my (odd) app" sleeps while the process runs; 44 is a zombie.
      assertEquals(1, mine.value("node_processes_threads_state", Map.of("thread_state", "Z")));
      assertEquals(2, mine.value("node_processes_pids", Map.of()));
      for (String c : COLLECTORS) {
        assertEquals(1, mine.value("node_scrape_collector_success", Map.of("collector", c)), c);
      }
    }
  }

  @Test
  void fieldFlagsSelectTheSameFields() throws Exception {
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), flags("--collector.vmstat.fields=^(nr_|thp)",
        "--collector.netstat.fields=^(Ip6|IcmpMsg|UdpLite)_.*", "--collector.arp.device-exclude=^docker", "--no-collector.cpu.guest"))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], NodeExporterProcFixtureTest::compared);
      Exposition mine = Exposition.parse(bodies[0]);
      assertTrue(mine.samples("node_vmstat_pgfault").isEmpty());
      assertEquals(7, mine.value("node_vmstat_thp_fault_alloc", Map.of()));
      assertEquals(45, mine.value("node_netstat_IcmpMsg_InType3", Map.of()));
      assertTrue(mine.samples("node_arp_entries").stream().noneMatch(s -> s.labels().get("device").equals("docker0")));
      assertTrue(mine.types.get("node_cpu_guest_seconds_total") == null);
    }
  }
}
