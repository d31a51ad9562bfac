package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The node_exporter flags a unit file carries: each starts us, or is refused with what to do instead. */
class NodeExporterFlagsTest {

  private static Exposition scrape(String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = "--web.listen-address=127.0.0.1:0";
    System.arraycopy(args, 0, all, 1, args.length);
    try (Exporter.Running r = HostExporter.builder().start(all)) {
      return Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body());
    }
  }

  private static Set<String> collectors(Exposition e) {
    return e.samples("node_scrape_collector_success").stream().map(s -> s.labels().get("collector"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void disableDefaultsLeavesOnlyTheNamedCollectors() throws Exception {
    Exposition e = scrape("--collector.disable-defaults", "--collector.cpu", "--collector.textfile");
    assertEquals(Set.of("cpu", "textfile"), collectors(e));
    assertTrue(collectors(scrape()).containsAll(Set.of("vmstat", "timex", "textfile", "filefd", "conntrack")));
  }

  @Test
  void processMetricsAreServedUnlessExporterMetricsAreDisabled() throws Exception {
    Exposition e = scrape("--collector.disable-defaults");
    assertTrue(e.value("process_resident_memory_bytes", Map.of()) > 1 << 20);
    assertTrue(e.value("process_open_fds", Map.of()) > 2);
    assertTrue(e.value("process_max_fds", Map.of()) >= e.value("process_open_fds", Map.of()));
    assertTrue(e.value("process_start_time_seconds", Map.of()) > 1.6e9);
    assertTrue(e.types.containsKey("process_cpu_seconds_total") && e.types.containsKey("process_virtual_memory_bytes"));
    // Unlimited here, as for node_exporter: client_golang's 2^64 - 1.
    assertEquals(1.8446744073709552e19, e.value("process_virtual_memory_max_bytes", Map.of()));
    Exposition off = scrape("--collector.disable-defaults", "--collector.cpu", "--web.disable-exporter-metrics");
    assertTrue(off.types.keySet().stream().noneMatch(f -> f.startsWith("process_")), off.types.keySet().toString());
    assertEquals(1, off.value("node_scrape_collector_success", Map.of("collector", "cpu")));
    assertTrue(off.types.containsKey("node_exporter_build_info"));
  }

  @Test
  void deprecatedAliasesStillWorkAndClashWithTheirSuccessors() throws Exception {
    Exposition e = scrape("--collector.disable-defaults", "--collector.filesystem",
        "--collector.filesystem.ignored-mount-points=.*", "--collector.filesystem.ignored-fs-types=^$",
        "--collector.netdev.device-blacklist=.*", "--collector.netdev", "--collector.diskstats.ignored-devices=.*",
        "--collector.diskstats", "--collector.netdev.device-whitelist=^$");
    assertTrue(e.samples("node_filesystem_size_bytes").isEmpty(), "every mount point excluded by the alias");
    assertTrue(e.samples("node_disk_reads_completed_total").isEmpty(), "every disk excluded by the alias");
    FlagException clash = assertThrows(FlagException.class, () -> scrape("--collector.filesystem.ignored-mount-points=^/x",
        "--collector.filesystem.mount-points-exclude=^/y"));
    assertEquals("--collector.filesystem.ignored-mount-points and --collector.filesystem.mount-points-exclude are"
        + " mutually exclusive", clash.getMessage());
  }

  @Test
  void systemdUnitAliasesClashWithTheirSuccessorsAndBadPatternsAreRefused() {
    FlagException clash = assertThrows(FlagException.class, () -> scrape("--collector.systemd",
        "--collector.systemd.unit-whitelist=a", "--collector.systemd.unit-include=b"));
    assertEquals("--collector.systemd.unit-whitelist and --collector.systemd.unit-include are mutually exclusive",
        clash.getMessage());
    FlagException bad = assertThrows(FlagException.class, () -> scrape("--collector.systemd",
        "--collector.systemd.unit-exclude=(.service"));
    assertTrue(bad.getMessage().startsWith("flag --collector.systemd.unit-exclude: invalid regular expression"),
        bad.getMessage());
  }

  @Test
  void unsupportedFlagsAreRefusedWithWhatToDoInstead() throws Exception {
    assertTrue(collectors(scrape("--no-collector.systemd", "--collector.disable-defaults", "--collector.cpu"))
        .equals(Set.of("cpu")));
    // kube-prometheus' node-exporter DaemonSet passes --no-collector.wifi.
    assertEquals(Set.of("cpu"), collectors(scrape("--no-collector.wifi", "--no-collector.ntp", "--collector.disable-defaults",
        "--collector.cpu")));
    FlagException wifi = assertThrows(FlagException.class, () -> scrape("--collector.wifi"));
    assertEquals("flag --collector.wifi is not supported: host-exporter does not have node_exporter's wifi collector"
        + " (off by default there); drop the flag", wifi.getMessage());
    FlagException socket = assertThrows(FlagException.class, () -> scrape("--web.systemd-socket"));
    assertTrue(socket.getMessage().contains("--web.listen-address"), socket.getMessage());
  }
}
