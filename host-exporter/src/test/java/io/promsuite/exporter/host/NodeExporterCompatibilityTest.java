package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Debian's node_exporter 1.5 next to ours on this machine, both with their defaults, and
 * compares families, types, label names, label sets and values: every node_* family
 * node_exporter serves must be ours too. Debian's build turns the systemd collector on (upstream's,
 * and ours, is off), so ours runs with {@code --collector.systemd} and Debian's unit exclude: on this
 * machine (no systemd) it fails on both sides; {@link SystemdCompatibilityTest} compares it on a real
 * systemd. A collector we lacked would be named in {@link #NOT_HERE}; its families are learnt from a
 * second node_exporter run with only it and left out.
 */
class NodeExporterCompatibilityTest {
  static final Set<String> NOT_HERE = Set.of();
  /** Debian's default --collector.systemd.unit-exclude (upstream's without "target"). */
  static final String DEBIAN_SYSTEMD_EXCLUDE = ".+\\.(automount|device|mount|scope|slice|target)";
  static Set<String> missingCollectors;
  static Set<String> missingFamilies = new TreeSet<>();

  @TempDir
  static Path tmp;
  static RealProcess nodeExporter;
  static Exporter.Running ours;
  static String theirsUrl;
  static String oursUrl;

  @BeforeAll
  static void start() throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    int port = Ports.free();
    nodeExporter = RealProcess.start(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + port),
        tmp.resolve("node_exporter.log"));
    theirsUrl = "http://127.0.0.1:" + port + "/metrics";
    nodeExporter.awaitHttp(theirsUrl, Duration.ofSeconds(20));
    ours = HostExporter.builder().start("--web.listen-address=127.0.0.1:0", "--collector.systemd",
        "--collector.systemd.unit-exclude=" + DEBIAN_SYSTEMD_EXCLUDE);
    oursUrl = "http://127.0.0.1:" + ours.port() + "/metrics";
    Exposition[] both = scrapeBoth();
    missingCollectors = collectors(both[1]);
    missingCollectors.removeAll(collectors(both[0]));
    if (!missingCollectors.isEmpty()) {
      int only = Ports.free();
      List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + only,
          "--collector.disable-defaults"));
      missingCollectors.forEach(c -> cmd.add("--collector." + c));
      try (RealProcess theirsOnly = RealProcess.start(cmd, tmp.resolve("node_exporter-missing.log"))) {
        String url = "http://127.0.0.1:" + only + "/metrics";
        theirsOnly.awaitHttp(url, Duration.ofSeconds(20));
        Exposition.parse(body(url)).types.keySet().stream().filter(f -> compared(f)).forEach(missingFamilies::add);
      }
    }
  }

  private static Set<String> collectors(Exposition e) {
    return e.samples("node_scrape_collector_success").stream().map(s -> s.labels().get("collector"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyDefaultCollectorOfNodeExporterIsOursExceptTheNamedOnes() {
    assertTrue(NOT_HERE.containsAll(missingCollectors), "node_exporter collectors we lack: " + missingCollectors);
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (nodeExporter != null) {
      nodeExporter.close();
    }
  }

  /** Both scraped at once, only node_* families that are not the exporters' own. */
  private static Exposition[] scrapeBoth() throws Exception {
    CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> body(theirsUrl));
    CompletableFuture<String> mine = CompletableFuture.supplyAsync(() -> body(oursUrl));
    return new Exposition[] {Exposition.parse(mine.get()), Exposition.parse(theirs.get())};
  }

  private static String body(String url) {
    try {
      return Http.get(url).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean compared(String family) {
    return family.startsWith("node_") && !family.startsWith("node_scrape_collector_")
        && !family.equals("node_exporter_build_info") && !missingFamilies.contains(family);
  }

  private static Set<Map<String, String>> labelSets(Exposition e, String name) {
    return e.samples(name).stream().map(Exposition.Sample::labels).collect(Collectors.toSet());
  }

  @Test
  void sameFamiliesWithSameTypes() throws Exception {
    Exposition[] both = scrapeBoth();
    Map<String, String> mine = both[0].types.entrySet().stream().filter(e -> compared(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    Map<String, String> theirs = both[1].types.entrySet().stream().filter(e -> compared(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(new TreeSet<>(theirs.keySet()), new TreeSet<>(mine.keySet()), "family names");
    for (String family : theirs.keySet()) {
      assertEquals(theirs.get(family), mine.get(family), "TYPE of " + family);
    }
    for (String c : collectors(both[0])) {
      Map<String, String> label = Map.of("collector", c);
      assertEquals(both[1].value("node_scrape_collector_success", label),
          both[0].value("node_scrape_collector_success", label), "node_scrape_collector_success of " + c);
    }
  }

  @Test
  void sameLabelSetsForEveryFamily() throws Exception {
    // Mounts and devices can come and go while other tests run (dockerd); retry a mismatch.
    AssertionError last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Exposition[] both = scrapeBoth();
      try {
        for (String family : both[1].types.keySet()) {
          if (!compared(family)) {
            continue;
          }
          Set<Map<String, String>> theirs = labelSets(both[1], family);
          Set<Map<String, String>> mine = labelSets(both[0], family);
          if (family.equals("node_time_zone_offset_seconds") || family.startsWith("node_os_")) {
            assertEquals(theirs, mine, "label sets of " + family);
          }
          assertEquals(theirs.stream().map(Map::keySet).collect(Collectors.toSet()),
              mine.stream().map(Map::keySet).collect(Collectors.toSet()), "label names of " + family);
          assertEquals(theirs, mine, "label sets (cpus x modes, mount points, devices) of " + family);
        }
        return;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  @Test
  void valuesAgree() throws Exception {
    AssertionError last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Exposition[] both = scrapeBoth();
      try {
        compareValues(both[0], both[1]);
        return;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  private static void compareValues(Exposition mine, Exposition theirs) {
    int compared = 0;
    for (Exposition.Sample t : theirs.samples) {
      String name = t.name();
      if (!compared(name)) {
        continue;
      }
      double m = mine.value(name, t.labels());
      assertTrue(!Double.isNaN(m), "we have " + name + t.labels());
      String type = theirs.types.get(name);
      if (name.equals("node_memory_MemTotal_bytes") || name.equals("node_filesystem_size_bytes")
          || name.equals("node_filesystem_files") || name.equals("node_filesystem_readonly")
          || name.equals("node_filesystem_device_error") || name.equals("node_boot_time_seconds")
          || name.endsWith("_info") || name.equals("node_os_version") || name.equals("node_time_zone_offset_seconds")
          || name.startsWith("node_memory_HugePages_") || name.equals("node_memory_SwapTotal_bytes")
          || name.equals("node_memory_VmallocTotal_bytes") || name.equals("node_entropy_pool_size_bits")
          || name.equals("node_filefd_maximum") || name.equals("node_nf_conntrack_entries_limit")
          || name.equals("node_timex_tick_seconds") || name.equals("node_timex_status")
          || name.equals("node_timex_sync_status") || name.equals("node_timex_tai_offset_seconds")
          || name.equals("node_selinux_enabled") || name.equals("node_vmstat_oom_kill")
          || name.equals("node_netstat_Ip_Forwarding") || name.startsWith("node_cpu_frequency_")
          || name.startsWith("node_cpu_scaling_frequency_")) {
        assertEquals(t.value(), m, "exact value of " + name + t.labels());
        compared++;
      } else if ("counter".equals(type) || "untyped".equals(type)) {
        // Scraped concurrently; busy counters (CPU, context switches) move by a few percent.
        double tolerance = Math.max(Math.abs(t.value()) * 0.03, name.startsWith("node_cpu_") ? 2.0 : 200);
        assertTrue(Math.abs(t.value() - m) <= tolerance,
            name + t.labels() + ": ours " + m + " vs node_exporter " + t.value());
        compared++;
      } else if (name.equals("node_time_seconds")) {
        assertTrue(Math.abs(t.value() - m) < 5, "clock: ours " + m + " vs " + t.value());
      } else if (name.equals("node_filesystem_avail_bytes") || name.equals("node_filesystem_free_bytes")
          || name.equals("node_filesystem_files_free")) {
        assertTrue(Math.abs(t.value() - m) <= Math.max(t.value() * 0.02, 4096), name + t.labels() + ": " + m
            + " vs " + t.value());
        compared++;
      }
    }
    assertTrue(compared > 100, "compared " + compared + " samples");
  }

  @Test
  void promtoolReportsNothingItDoesNotAlsoReportForNodeExporter() throws Exception {
    Path promtool = RealParts.require("/usr/bin/promtool");
    Exposition.parse("");
    String mine = promtoolLint(promtool, body(oursUrl));
    String theirs = promtoolLint(promtool, body(theirsUrl));
    Set<String> extra = new TreeSet<>(List.of(mine.split("\n")));
    extra.removeAll(List.of(theirs.split("\n")));
    extra.remove("");
    assertTrue(extra.isEmpty(), "promtool complaints only we have: " + extra);
  }

  private static String promtoolLint(Path promtool, String exposition) throws Exception {
    Path in = Files.createTempFile(tmp, "metrics", ".prom");
    Files.writeString(in, exposition);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(in.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).sorted().collect(Collectors.joining("\n"));
  }
}
