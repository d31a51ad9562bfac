package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.container.source.Fixtures;
import io.promsuite.exporter.container.testing.FakeDaemon;
import io.promsuite.exporter.container.testing.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole container part of /metrics, from a fake daemon's container list and a fixture cgroup
 * tree, against checked-in golden files whose values were computed by hand from the fixtures.
 */
class GoldenOutputTest {

  private static String containerFamilies(String exposition) {
    List<String> lines = exposition.lines()
        .filter(l -> !l.contains("container_exporter_") && !l.contains("container_scrape_collector_"))
        .filter(l -> l.startsWith("container_") || l.startsWith("# HELP container_") || l.startsWith("# TYPE container_")
            || l.startsWith("machine_") || l.startsWith("# HELP machine_") || l.startsWith("# TYPE machine_"))
        // Wall-clock time: checked separately.
        .map(l -> l.startsWith("container_last_seen{") ? l.substring(0, l.lastIndexOf(' ')) + " <now>" : l)
        .map(GoldenOutputTest::canonicalValue)
        .toList();
    // Order of samples within a family means nothing to Prometheus: compare them sorted.
    StringBuilder out = new StringBuilder();
    List<String> samples = new java.util.ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("#")) {
        samples.stream().sorted().forEach(x -> out.append(x).append('\n'));
        samples.clear();
        out.append(l).append('\n');
      } else {
        samples.add(l);
      }
    }
    samples.stream().sorted().forEach(x -> out.append(x).append('\n'));
    return out.toString();
  }

  /** 15, 15.0 and 1.5E1 are one value: compare numbers, not how the writer spells them. */
  private static String canonicalValue(String line) {
    if (line.startsWith("#") || line.endsWith("<now>")) {
      return line;
    }
    int sp = line.lastIndexOf(' ');
    String v = new java.math.BigDecimal(line.substring(sp + 1)).stripTrailingZeros().toPlainString();
    return line.substring(0, sp + 1) + v;
  }

  private static void check(String fixture, String driver, FakeDaemon.Container container, String golden) throws Exception {
    Path root = Fixtures.root(fixture);
    try (FakeDaemon daemon = new FakeDaemon(driver).serve(List.of(container), "{}");
        ExporterProcess x = new ExporterProcess("--docker.host=" + daemon.host(), "--source=cgroup",
            "--path.cgroupfs=" + root.resolve("sys/fs/cgroup"), "--path.procfs=" + root.resolve("proc"),
            "--path.sysfs=" + root.resolve("sys"), "--path.rootfs=" + root.resolve("rootfs"), "--container.label-allowlist=com.example.team",
            "--housekeeping.interval=200ms", "--container.disable-metrics=")) {
      Scrape.until(x.port, Duration.ofSeconds(30), "the container's reading",
          e -> sum(e, "container_exporter_containers", Map.of()) == 1);
      String text = Http.get("http://127.0.0.1:" + x.port + "/metrics", "Accept", "text/plain; version=0.0.4").body();
      String actual = containerFamilies(text);
      String expected = containerFamilies(FakeDaemon.resource("/golden/" + golden));
      if (!expected.equals(actual)) {
        Files.writeString(Path.of("target", "actual-" + golden), actual);
      }
      assertEquals(expected, actual, "golden " + golden + " (actual output in target/actual-" + golden + ")");
    }
  }

  @Test
  void cgroupV1FixtureGivesTheGoldenFamilies() throws Exception {
    check("v1", "cgroupfs", new FakeDaemon.Container("0123456789abcdef", "web", 1234,
        Map.of("com.example.team", "core", "not.allowed", "x"), 134_217_728, 50_000), "v1.prom");
  }

  @Test
  void cgroupV2FixtureUnderSystemdGivesTheGoldenFamilies() throws Exception {
    check("v2", "systemd", new FakeDaemon.Container("fedcba9876543210", "api", 2000, Map.of(), 0, 25_000), "v2.prom");
  }
}
