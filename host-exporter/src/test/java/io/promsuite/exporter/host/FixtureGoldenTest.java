package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import io.promsuite.exporter.common.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * node_exporter's end-to-end test, ours: host-exporter started the real way (its builder, its
 * flags, every collector that reads the fixture tree on, as node_exporter's end-to-end-test.sh
 * turns them on) with --path.procfs/sysfs/rootfs on a fixture tree, /metrics scraped over HTTP on
 * loopback, and the whole body compared with a checked-in golden file after dropping the lines a
 * run decides (durations, process_*, build info, the clock, the host's statvfs). Rewrite the
 * golden files with {@code -Dgolden.update=true} and review the diff.
 */
class FixtureGoldenTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures").toAbsolutePath();

  /**
   * Families whose values the run decides, not the tree (node_exporter's skip_re, plus what statvfs
   * of the checkout's own disk reports for the fixture's mount points; FilesystemCollectorTest
   * proves those conversions with a statvfs of known answers).
   */
  static final Pattern RUN_DEPENDENT = Pattern.compile("^(process_|node_exporter_build_info|"
      + "node_scrape_collector_duration_seconds|node_textfile_mtime_seconds|node_time_(zone_offset_)?seconds|"
      + "node_filesystem_(size_bytes|free_bytes|avail_bytes|files|files_free)[ {])");

  /** The tree under {@code fixtures/}: "" for the basic one, "busy" (/proc figures), "hardware" (/sys devices). */
  static Path tree(String name) {
    return name.isEmpty() ? FIXTURES : FIXTURES.resolve(name);
  }

  /** What node_exporter's end-to-end test turns on besides the defaults, where we have it. */
  static List<String> flags(Path tree) {
    List<String> flags = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0",
        "--path.procfs=" + tree.resolve("proc"), "--path.sysfs=" + tree.resolve("sys"),
        "--path.rootfs=" + tree.resolve("root"), "--path.udev.data=" + tree.resolve("root/run/udev/data"),
        // A loaded CI machine must not turn a collector's success to 0 by its deadline.
        "--scrape.timeout=60s",
        "--collector.processes", "--collector.stat.softirq", "--collector.bcache.priorityStats",
        // adjtimex(2) answers for the running kernel whatever the tree (node_exporter's test turns timex off too).
        "--no-collector.timex"));
    if (java.nio.file.Files.exists(tree.resolve("proc/cpuinfo"))) {
      // cpu.info fails the whole cpu collector without /proc/cpuinfo, as node_exporter's does.
      flags.addAll(List.of("--collector.cpu.info", "--collector.cpu.info.flags-include=^(aes|avx.?|constant_tsc)$",
          "--collector.cpu.info.bugs-include=^(cpu_meltdown|spectre_.*|mds)$"));
    }
    if (tree.equals(FIXTURES)) {
      flags.add("--collector.textfile.directory=" + Path.of("src/test/resources/textfile/good").toAbsolutePath());
    }
    return flags;
  }

  /** The body of one scrape of host-exporter on {@code tree}. */
  static String scrape(Path tree, String... extraFlags) throws Exception {
    NodeExporterOnFixture.makeEmptyDirs(tree);
    List<String> args = flags(tree);
    args.addAll(List.of(extraFlags));
    try (Exporter.Running running = HostExporter.builder().start(args.toArray(String[]::new))) {
      HttpResponse<String> r = Http.get("http://127.0.0.1:" + running.port() + "/metrics");
      assertEquals(200, r.statusCode(), r.body());
      return r.body();
    }
  }

  /** The body without the lines of run-dependent families (their samples, HELP and TYPE). */
  static String deterministic(String body) {
    // Paths in HELP texts and labels (textfile, rapl) are the checkout's: written relative to the module.
    String here = Path.of("").toAbsolutePath().toString();
    return body.replace(here + "/", "./").lines().filter(line -> {
      String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
      return !RUN_DEPENDENT.matcher(name).find();
    }).collect(Collectors.joining("\n", "", "\n"));
  }

  @ParameterizedTest(name = "fixtures/{0}")
  @ValueSource(strings = {"", "busy", "hardware"})
  void wholeServedOutputMatchesGoldenFile(String name) throws Exception {
    String golden = name.isEmpty() ? "fixtures.prom" : "fixtures-" + name + ".prom";
    Golden.assertMatches(Path.of("src/test/resources/golden", golden), deterministic(scrape(tree(name))));
  }

  @Test
  void unitsAreConvertedAsNodeExporterDoes() throws Exception {
    double before = System.currentTimeMillis() / 1000.0;
    Exposition e = Exposition.parse(scrape(FIXTURES));
    double after = System.currentTimeMillis() / 1000.0;
    // cpu0 user 19335 ticks at USER_HZ 100; guest 7 ticks.
    assertEquals(193.35, e.value("node_cpu_seconds_total", Map.of("cpu", "0", "mode", "user")), 1e-9);
    assertEquals(0.07, e.value("node_cpu_guest_seconds_total", Map.of("cpu", "0", "mode", "user")), 1e-9);
    // vda: sectors read x 512 bytes; loop devices excluded by default.
    assertEquals(3877434.0 * 512, e.value("node_disk_read_bytes_total", Map.of("device", "vda")), 1);
    assertTrue(e.samples("node_disk_read_bytes_total").stream().noneMatch(s -> s.labels().get("device").startsWith("loop")));
    // MemTotal in kB -> bytes; Active(anon) -> Active_anon.
    assertTrue(e.value("node_memory_MemTotal_bytes", Map.of()) % 1024 == 0);
    assertTrue(!e.samples("node_memory_Active_anon_bytes").isEmpty());
    // The fixture's mounts through the real statvfs: a read-only one listed once (mounted twice),
    // one whose directory is missing flagged, the excluded ones absent.
    Map<String, String> data = Map.of("device", "/dev/vdb", "fstype", "xfs", "mountpoint", "/srv/data set");
    assertEquals(1, e.value("node_filesystem_readonly", data));
    assertEquals(0, e.value("node_filesystem_device_error", data));
    assertEquals(1, e.samples("node_filesystem_size_bytes").stream().filter(s -> s.labels().equals(data)).count());
    assertEquals(1, e.value("node_filesystem_device_error",
        Map.of("device", "/dev/vdc", "fstype", "ext4", "mountpoint", "/broken")));
    assertTrue(e.samples("node_filesystem_device_error").stream()
        .noneMatch(s -> s.labels().get("mountpoint").startsWith("/proc") || s.labels().get("mountpoint").startsWith("/mnt")
            || s.labels().get("mountpoint").startsWith("/var/lib/docker")));
    // lo excluded by default; nohandler from sysfs.
    assertTrue(e.samples("node_network_receive_bytes_total").stream().noneMatch(s -> s.labels().get("device").equals("lo")));
    assertEquals(3, e.value("node_network_receive_nohandler_total", Map.of("device", "eth0")));
    // The clock the golden file leaves out: the host's, read during the scrape.
    double now = e.value("node_time_seconds", Map.of());
    assertTrue(now >= before && now <= after + 1, before + " <= " + now + " <= " + after);
  }

  @Test
  void goldenFilesCoverEveryCollectorThatReadsTheTree() throws Exception {
    // Each collector (but timex, which asks the kernel) succeeds on at least one fixture tree: a
    // new collector without fixture data fails here (after -Dgolden.update=true).
    java.util.Set<String> succeeded = new java.util.TreeSet<>();
    java.util.Set<String> all = new java.util.TreeSet<>();
    for (String name : List.of("", "busy", "hardware")) {
      String golden = java.nio.file.Files.readString(
          Path.of("src/test/resources/golden", name.isEmpty() ? "fixtures.prom" : "fixtures-" + name + ".prom"));
      for (Exposition.Sample s : Exposition.parse(golden).samples("node_scrape_collector_success")) {
        all.add(s.labels().get("collector"));
        if (s.value() == 1) {
          succeeded.add(s.labels().get("collector"));
        }
      }
    }
    java.util.Set<String> failing = new java.util.TreeSet<>(all);
    failing.removeAll(succeeded);
    assertEquals(java.util.Set.of(), failing, "collectors that fail on every fixture tree");
    assertTrue(all.size() >= 40, "collectors run: " + all);
  }
}
