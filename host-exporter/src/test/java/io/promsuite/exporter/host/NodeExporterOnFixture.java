package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Debian's node_exporter 1.5 and our exporter, both started the real way on the same proc/sys/root
 * tree (a fixture, or the live machine) with the same flags, scraped for the same collectors
 * ({@code collect[]}): node_exporter's output is the expected result, family by family (TYPE,
 * HELP, label sets) and value by value, {@code node_scrape_collector_success} included.
 */
final class NodeExporterOnFixture implements AutoCloseable {
  static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";

  /** A parsed scrape with each family's HELP text, which {@link Exposition} leaves out. */
  record Scrape(String text, Exposition exposition, Map<String, String> help) {
    static Scrape of(String text) {
      Map<String, String> help = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("# HELP ")) {
          int space = line.indexOf(' ', 7);
          help.put(line.substring(7, space), line.substring(space + 1));
        }
      }
      return new Scrape(text, Exposition.parse(text), help);
    }
  }

  /** Readings that move between two scrapes of a live host: sensors and energy counters. */
  private static final List<String> MOVING = List.of("node_hwmon_", "node_thermal_zone_", "node_cooling_device_",
      "node_rapl_", "node_power_supply_", "node_network_carrier_", "node_nfs", "node_ipvs_", "node_xfs_", "node_zfs_",
      "node_bcache_", "node_edac_", "node_infiniband_", "node_fibrechannel_", "node_tape_", "node_md_");

  private final List<String> collectors;
  private final boolean live;
  private final RealProcess nodeExporter;
  private final Exporter.Running ours;
  private final String theirsUrl;
  private final String oursUrl;

  private NodeExporterOnFixture(List<String> collectors, boolean live, RealProcess nodeExporter, Exporter.Running ours,
      String theirsUrl, String oursUrl) {
    this.collectors = collectors;
    this.live = live;
    this.nodeExporter = nodeExporter;
    this.ours = ours;
    this.theirsUrl = theirsUrl;
    this.oursUrl = oursUrl;
  }

  /**
   * Both exporters on {@code tree} (its {@code proc}, {@code sys} and {@code root}), with
   * {@code flags} given to both; node_exporter logs to {@code log}.
   */
  static NodeExporterOnFixture start(Path tree, List<String> collectors, Path log, String... flags) throws Exception {
    Path abs = tree.toAbsolutePath();
    makeEmptyDirs(abs);
    List<String> all = new ArrayList<>(List.of("--path.procfs=" + abs.resolve("proc"), "--path.sysfs=" + abs.resolve("sys"),
        "--path.rootfs=" + abs.resolve("root")));
    all.addAll(List.of(flags));
    return startWith(collectors, log, all, false);
  }

  /**
   * Git keeps no empty directory: those a fixture tree needs (an empty counters/, power/, the
   * rootfs) are listed in its EMPTY_DIRS and made here, so a clean clone reads the same tree.
   */
  static void makeEmptyDirs(Path tree) throws IOException {
    Path emptyDirs = tree.resolve("EMPTY_DIRS");
    if (java.nio.file.Files.exists(emptyDirs)) {
      for (String dir : java.nio.file.Files.readAllLines(emptyDirs)) {
        if (!dir.isBlank()) {
          java.nio.file.Files.createDirectories(tree.resolve(dir.strip()));
        }
      }
    }
  }

  /** Both exporters on this machine's own /proc and /sys. */
  static NodeExporterOnFixture live(List<String> collectors, Path log, String... flags) throws Exception {
    return startWith(collectors, log, List.of(flags), true);
  }

  private static NodeExporterOnFixture startWith(List<String> collectors, Path log, List<String> flags, boolean live)
      throws Exception {
    Path bin = RealParts.require(NODE_EXPORTER);
    int port = Ports.free();
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--collector.disable-defaults"));
    collectors.forEach(c -> cmd.add("--collector." + c));
    cmd.addAll(flags);
    String query = collectors.stream().map(c -> "collect[]=" + c).collect(Collectors.joining("&", "?", ""));
    RealProcess theirs = RealProcess.start(cmd, log);
    Exporter.Running ours = null;
    try {
      theirs.awaitHttp("http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(20));
      List<String> args = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0"));
      args.addAll(flags);
      ours = HostExporter.builder().start(args.toArray(String[]::new));
      return new NodeExporterOnFixture(collectors, live, theirs, ours, "http://127.0.0.1:" + port + "/metrics" + query,
          "http://127.0.0.1:" + ours.port() + "/metrics" + query);
    } catch (Exception | Error e) {
      theirs.close();
      if (ours != null) {
        ours.close();
      }
      throw e;
    }
  }

  Scrape theirs() throws IOException, InterruptedException {
    return Scrape.of(Http.get(theirsUrl).body());
  }

  Scrape ours() throws IOException, InterruptedException {
    return Scrape.of(Http.get(oursUrl).body());
  }

  /** The families both serve and are compared: the collectors' own and their success. */
  static boolean compared(String family) {
    return family.startsWith("node_") && !family.equals("node_scrape_collector_duration_seconds")
        && !family.equals("node_exporter_build_info");
  }

  /**
   * Asserts that we serve exactly what node_exporter serves on this tree and returns node_exporter's
   * scrape, so a test can also check that the fixture exercised what it meant to.
   */
  Scrape assertSameAsNodeExporter() throws Exception {
    // A live host can change between the two scrapes (a link flaps, a sensor moves): retry there.
    AssertionError last = null;
    for (int attempt = 0; attempt < (live ? 3 : 1); attempt++) {
      Scrape theirs = theirs();
      Scrape mine = ours();
      try {
        assertSame(theirs, mine);
        return theirs;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw last;
  }

  void assertSame(Scrape theirs, Scrape mine) {
    Set<String> theirFamilies = families(theirs);
    assertEquals(theirFamilies, families(mine), "families (node_exporter's, ours)");
    for (String family : theirFamilies) {
      assertEquals(theirs.exposition().types.get(family), mine.exposition().types.get(family), "TYPE of " + family);
      assertEquals(theirs.help().get(family), mine.help().get(family), "HELP of " + family);
      Map<Map<String, String>, Double> expected = samples(theirs, family);
      Map<Map<String, String>, Double> actual = samples(mine, family);
      assertEquals(expected.keySet(), actual.keySet(), "label sets of " + family);
      for (Map.Entry<Map<String, String>, Double> e : expected.entrySet()) {
        double t = e.getValue();
        double m = actual.get(e.getKey());
        // Fixtures: the same figure. Live sensors and counters: within 10 %, as they move between the scrapes.
        double tolerance = live && MOVING.stream().anyMatch(family::startsWith) ? 0.1 : 1e-12;
        assertTrue(Double.compare(t, m) == 0 || Math.abs(t - m) <= Math.abs(t) * tolerance,
            family + e.getKey() + ": node_exporter " + t + ", ours " + m);
      }
    }
    for (String c : collectors) {
      Map<String, String> label = Map.of("collector", c);
      assertEquals(theirs.exposition().value("node_scrape_collector_success", label),
          mine.exposition().value("node_scrape_collector_success", label), "node_scrape_collector_success of " + c);
    }
  }

  /** Families with samples, and any declared without one (node_exporter never serves those). */
  private static Set<String> families(Scrape s) {
    Set<String> out = new TreeSet<>();
    s.exposition().types.keySet().stream().filter(NodeExporterOnFixture::compared).forEach(out::add);
    for (Exposition.Sample sample : s.exposition().samples) {
      if (compared(sample.name())) {
        out.add(sample.name());
      }
    }
    return out;
  }

  private static Map<Map<String, String>, Double> samples(Scrape s, String family) {
    Map<Map<String, String>, Double> out = new HashMap<>();
    for (Exposition.Sample sample : s.exposition().samples(family)) {
      // A label with an empty value is the same series as no label (Prometheus drops it at ingestion).
      Map<String, String> labels = new TreeMap<>(sample.labels());
      labels.values().removeIf(String::isEmpty);
      Double previous = out.put(labels, sample.value());
      assertTrue(previous == null, family + sample.labels() + " served twice");
    }
    return out;
  }

  /** node_exporter's output, for a failure message. */
  String nodeExporterLog() {
    return nodeExporter.output();
  }

  @Override
  public void close() {
    ours.close();
    nodeExporter.close();
  }
}
