package io.promsuite.exporter.container;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.container.testing.FakeDaemon;
import io.promsuite.exporter.container.testing.Scrape;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** WireMock as the Engine API where the real engine cannot be driven: 500 containers, errors, hangs, bad JSON. */
class FaultInjectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String STATS = FakeDaemon.resource("/engine/stats-v2.json");

  private static ExporterProcess exporter(FakeDaemon daemon, String... more) throws Exception {
    String[] args = new String[more.length + 4];
    args[0] = "--docker.host=" + daemon.host();
    args[1] = "--source=docker";
    args[2] = "--housekeeping.interval=1s";
    args[3] = "--docker.resync-interval=1s";
    System.arraycopy(more, 0, args, 4, more.length);
    return new ExporterProcess(args);
  }

  @Test
  void fiveHundredContainersAreAllReportedWithTheirLabels() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(500), STATS);
        ExporterProcess x = exporter(daemon, "--container.label-allowlist=team")) {
      Exposition e = Scrape.until(x.port, WAIT, "500 containers with readings",
          ex -> sum(ex, "container_exporter_containers", Map.of()) == 500);
      Set<String> names = e.samples("container_memory_working_set_bytes").stream()
          .map(s -> s.labels().get("name")).collect(Collectors.toSet());
      assertEquals(500, names.size());
      assertEquals(Map.of("id", "/docker/" + String.format("%064x", 138), "image", "busybox:1", "name", "c137",
          "container_label_team", "t4"), Scrape.samples(e, "container_memory_working_set_bytes", Map.of("name", "c137"))
          .getFirst().labels());
      assertEquals(21_000_000, sum(e, "container_memory_working_set_bytes", Map.of("name", "c137")));
      assertEquals(7.5, sum(e, "container_cpu_usage_seconds_total", Map.of("name", "c137", "cpu", "total")));
      assertEquals(5000, sum(e, "container_network_receive_bytes_total", Map.of("name", "c499", "interface", "eth0")));
      assertEquals(1795593601.5, sum(e, "container_start_time_seconds", Map.of("name", "c0")));
      assertEquals(1, sum(e, "container_exporter_docker_up", Map.of()));
    }
  }

  @Test
  void aDaemonAnswering500IsDownAndItsContainersAreDropped() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(3), STATS);
        ExporterProcess x = exporter(daemon)) {
      Scrape.until(x.port, WAIT, "3 containers", ex -> sum(ex, "container_exporter_containers", Map.of()) == 3);
      daemon.override("(/v[0-9.]+)?/containers/json",
          aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody("{\"message\":\"boom\"}"));
      Exposition e = Scrape.until(x.port, WAIT, "docker_up 0", ex -> sum(ex, "container_exporter_docker_up", Map.of()) == 0);
      assertEquals(0, sum(e, "container_exporter_containers", Map.of()));
      assertTrue(e.samples("container_memory_usage_bytes").isEmpty(), "no container series left");
      assertTrue(sum(e, "container_exporter_refresh_errors_total", Map.of("kind", "list")) >= 1);
    }
  }

  @Test
  void aHangingDaemonTimesOutWhileScrapesKeepAnsweringFromMemory() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(3), STATS);
        ExporterProcess x = exporter(daemon, "--docker.timeout=1s")) {
      Scrape.until(x.port, WAIT, "3 containers", ex -> sum(ex, "container_exporter_containers", Map.of()) == 3);
      // Longer than the test client's timeout: a scrape that waited on the daemon would fail.
      daemon.override("(/v[0-9.]+)?/containers/.*", okJson("[]").withFixedDelay(40_000));
      Exposition e = Scrape.until(x.port, WAIT, "docker_up 0 after the 1 s timeout",
          ex -> sum(ex, "container_exporter_docker_up", Map.of()) == 0);
      assertEquals(0, sum(e, "container_exporter_containers", Map.of()));
      assertEquals(1, sum(e, "container_scrape_collector_success", Map.of("collector", "exporter")));
    }
  }

  @Test
  void malformedListJsonIsAFailedListing() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(2), STATS);
        ExporterProcess x = exporter(daemon)) {
      daemon.override("(/v[0-9.]+)?/containers/json", okJson("[{\"Id\": \"abc\", "));
      Exposition e = Scrape.until(x.port, WAIT, "a failed list",
          ex -> sum(ex, "container_exporter_refresh_errors_total", Map.of("kind", "list")) >= 1);
      assertEquals(0, sum(e, "container_exporter_docker_up", Map.of()));
      assertEquals(0, sum(e, "container_exporter_containers", Map.of()));
    }
  }

  @Test
  void malformedStatsJsonCountsUsageErrorsWhileTheDaemonIsUp() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(2), "{\"cpu_stats\": {\"cpu_usage\": ");
        ExporterProcess x = exporter(daemon)) {
      Exposition e = Scrape.until(x.port, WAIT, "usage errors",
          ex -> sum(ex, "container_exporter_refresh_errors_total", Map.of("kind", "usage")) >= 2);
      assertEquals(1, sum(e, "container_exporter_docker_up", Map.of()));
      assertEquals(0, sum(e, "container_exporter_containers", Map.of()), "no reading, no series");
    }
  }
}
