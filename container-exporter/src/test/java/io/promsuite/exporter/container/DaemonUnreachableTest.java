package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.container.testing.Scrape;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon is not there, or goes away: the exporter says so and keeps serving. */
class DaemonUnreachableTest {
  private static final String UNREACHABLE = "cannot reach the Docker daemon; reporting no containers until it answers";

  /**
   * The exporter's own log lines: stderr, where its handler writes (set up when it starts), copied
   * while this is open.
   */
  private static final class ExporterLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    ExporterLog() {
      System.setErr(new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
          original.write(b);
          synchronized (copy) {
            copy.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          synchronized (copy) {
            copy.write(b, off, len);
          }
        }
      }, true));
    }

    /** Lines with {@code msg="<message>"}. */
    List<String> lines(String message) {
      String text;
      synchronized (copy) {
        text = copy.toString(StandardCharsets.UTF_8);
      }
      return text.lines().filter(l -> l.contains("msg=\"" + message + "\"")).toList();
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }

  @Test
  void aSocketThatDoesNotExistGivesDockerUpZeroAndTheExporterServes() throws Exception {
    String host = "unix:///tmp/no-such-dir-" + System.nanoTime() + "/docker.sock";
    try (ExporterLog log = new ExporterLog();
        ExporterProcess x = new ExporterProcess("--docker.host=" + host, "--source=docker", "--docker.resync-interval=1s")) {
      Exposition e = Scrape.until(x.port, Duration.ofSeconds(30), "three failed lists",
          ex -> sum(ex, "container_exporter_refresh_errors_total", Map.of("kind", "list")) >= 3);
      List<String> warnings = log.lines(UNREACHABLE);
      assertEquals(1, warnings.size(), "one warning for three failed refreshes: " + warnings);
      String w = warnings.getFirst();
      assertTrue(w.contains("level=warn ") && w.contains(" docker_host=" + host + " "), w);
      assertTrue(w.contains("err=\"docker " + host + " GET /info: No such file or directory\""),
          "the error as the socket gave it: " + w);
      assertTrue(w.contains("check=\"that dockerd runs, that this user may open the socket") && w.contains("--docker.host"), w);
      assertEquals(0, sum(e, "container_exporter_docker_up", Map.of()));
      assertEquals(1, sum(e, "container_scrape_error", Map.of()));
      assertEquals(0, sum(e, "container_exporter_containers", Map.of()));
      assertEquals(1, sum(e, "container_exporter_build_info", Map.of()));
      assertEquals(1, sum(e, "container_scrape_collector_success", Map.of("collector", "exporter")));
      assertEquals(200, Http.get("http://127.0.0.1:" + x.port + "/-/healthy").statusCode());
    }
  }

  @Test
  void badFlagsAreRejectedNamingTheFlag() {
    FlagException source = assertThrows(FlagException.class, () -> new ExporterProcess("--source=kubelet").close());
    assertEquals("flag --source: expected auto, docker or cgroup, got 'kubelet'", source.getMessage());
    FlagException host = assertThrows(FlagException.class, () -> new ExporterProcess("--docker.host=http://x:2375").close());
    assertEquals("flag --docker.host: expected unix:///path or tcp://host:port, got 'http://x:2375'", host.getMessage());
    FlagException cgroup = assertThrows(FlagException.class,
        () -> new ExporterProcess("--source=cgroup", "--path.cgroupfs=/nonexistent/cgroup").close());
    assertTrue(cgroup.getMessage().startsWith("flag --source=cgroup: /nonexistent/cgroup is not a cgroup v1 or v2 mount"),
        cgroup.getMessage());
    FlagException regexp = assertThrows(FlagException.class,
        () -> new ExporterProcess("--network.ignored-interfaces=(lo").close());
    assertTrue(regexp.getMessage().startsWith("flag --network.ignored-interfaces: bad regexp"), regexp.getMessage());
  }

  @Test
  void theDaemonStoppingDropsItsContainersAndItsReturnIsNoticed() throws Exception {
    // Its own engine: stopping the shared one would pull it from under the other tests.
    try (DockerDaemon engine = DockerDaemon.start()) {
      engine.runContainer("--name", "victim", engine.importBusyboxImage(DockerDaemon.BUSYBOX_IMAGE), "sleep", "3600");
      try (ExporterLog log = new ExporterLog();
          ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
          "--housekeeping.interval=500ms", "--docker.resync-interval=2s")) {
        Scrape.until(x.port, Duration.ofSeconds(60), "victim listed",
            ex -> sum(ex, "container_memory_usage_bytes", Map.of("name", "victim")) > 0);
        engine.stop();
        Exposition down = Scrape.until(x.port, Duration.ofSeconds(60), "docker_up 0",
            ex -> sum(ex, "container_exporter_docker_up", Map.of()) == 0);
        assertTrue(down.samples.stream().noneMatch(s -> "victim".equals(s.labels().get("name"))),
            "the last known containers are dropped, not frozen");
        assertEquals(1, sum(down, "container_scrape_error", Map.of()));
        double failed = sum(down, "container_exporter_refresh_errors_total", Map.of("kind", "list"));
        Scrape.until(x.port, Duration.ofSeconds(60), "two more failed lists",
            ex -> sum(ex, "container_exporter_refresh_errors_total", Map.of("kind", "list")) >= failed + 2);
        assertEquals(1, log.lines(UNREACHABLE).size(), "one warning while it stays down: " + log.lines(UNREACHABLE));
        assertTrue(log.lines(UNREACHABLE).getFirst().contains(" docker_host=" + engine.dockerHost() + " "));
        assertEquals(List.of(), log.lines("Docker daemon reachable again"));
        assertEquals(200, Http.get("http://127.0.0.1:" + x.port + "/-/healthy").statusCode());

        engine.restart();
        Exposition up = Scrape.until(x.port, Duration.ofSeconds(60), "docker_up 1 again",
            ex -> sum(ex, "container_exporter_docker_up", Map.of()) == 1);
        assertEquals(0, sum(up, "container_scrape_error", Map.of()));
        double listed = sum(up, "container_exporter_refreshes_total", Map.of("kind", "list"));
        Scrape.until(x.port, Duration.ofSeconds(60), "two more lists",
            ex -> sum(ex, "container_exporter_refreshes_total", Map.of("kind", "list")) >= listed + 2);
        assertEquals(1, log.lines("Docker daemon reachable again").size(), "one info line when it is back");
        assertTrue(log.lines("Docker daemon reachable again").getFirst().contains("level=info "));
        assertEquals(1, log.lines(UNREACHABLE).size());
      }
    }
  }
}
