package io.promsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.e2e.stack.LocalStack;
import io.promsuite.e2e.stack.SuiteLayout;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./quickstart} as a new user runs it (on free ports given by its *_PORT variables): the
 * URLs come only once every exporter is ready, the ML exporter's first scrape already shows the
 * demo store, and an exporter that cannot start stops everything with one line and exit 1.
 */
class QuickstartScriptTest {
  private static final List<String> SEED_FAMILIES = List.of("ml_model_age_seconds", "ml_model_size_bytes",
      "ml_training_dataset_size", "ml_training_dataset_last_updated", "ml_model_accuracy", "ml_model_f1_score");

  private SuiteLayout layout;
  private final Map<String, Integer> ports = new LinkedHashMap<>();

  @BeforeEach
  void needsTheBuiltSuite() {
    layout = SuiteLayout.find(Path.of(""));
    for (String module : LocalStack.EXPORTERS) {
      if (!Files.isExecutable(layout.launcher(module))) {
        // quickstart would build the suite itself; the reactor has built it before this test in CI.
        RealParts.missing(layout.launcher(module) + " is not built");
      }
      ports.put(module, Ports.free());
    }
  }

  private Process quickstart() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(layout.root().resolve("quickstart").toString())
        .directory(layout.root().toFile()).redirectErrorStream(true);
    ports.forEach((module, port) -> pb.environment().put(module.toUpperCase().replace('-', '_') + "_PORT", port.toString()));
    pb.environment().remove("REBUILD");
    return pb.start();
  }

  @Test
  void urlsComeOnlyWhenEveryExporterIsReadyAndTheFirstMlScrapeHasEverySeedFamily() throws Exception {
    Process script = quickstart();
    List<String> output = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream()));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Promsuite exporters are running")) {
        output.add(line);
      }
      assertTrue(line != null, "quickstart ended before printing the URLs:\n" + String.join("\n", output));
      // Right after the URLs: every exporter answers, and the ML exporter's first scrape has the demo store.
      for (var e : ports.entrySet()) {
        assertEquals(200, Http.get("http://127.0.0.1:" + e.getValue() + "/-/ready").statusCode(), e.getKey());
      }
      Exposition ml = Exposition.parse(Http.get("http://127.0.0.1:" + ports.get("ml-model-exporter") + "/metrics").body());
      for (String family : SEED_FAMILIES) {
        assertTrue(ml.samples(family).size() >= 3, family + " for the demo store's three models: " + ml.samples(family));
      }
      assertEquals(1, ml.value("ml_model_info",
          Map.of("model", "fraud-detector", "version", "2.4.0", "stage", "production", "source", "local")),
          "the pinned version serves, not the newer release candidate");
      double age = ml.value("ml_model_age_seconds", Map.of("model", "fraud-detector"));
      assertTrue(age > 3 * 86400 && age < 4 * 86400, "the demo store's ages are relative to its writing: " + age);
      assertTrue(output.contains("quickstart: starting ml-model-exporter/target/bin/ml-model-exporter --web.listen-address=:"
          + ports.get("ml-model-exporter") + " --store.local.path=target/quickstart/models"), String.join("\n", output));

      List<ProcessHandle> started = script.descendants().toList();
      new ProcessBuilder("kill", "-TERM", Long.toString(script.pid())).start().waitFor();
      assertTrue(script.waitFor(60, TimeUnit.SECONDS), "quickstart still running 60 s after SIGTERM");
      for (ProcessHandle p : started) {
        p.onExit().get(30, TimeUnit.SECONDS);
      }
      assertEquals(List.of(), exportersStillRunning());
    } finally {
      stop(script);
    }
  }

  @Test
  void aPortTakenByNodeExporterStopsQuickstartWithinTenSecondsNamingThePort() throws Exception {
    Path nodeExporter = RealParts.require("/usr/bin/prometheus-node-exporter");
    int taken = ports.get("host-exporter");
    try (RealProcess node = RealProcess.start(List.of(nodeExporter.toString(), "--web.listen-address=127.0.0.1:" + taken),
        Files.createTempFile("node-exporter", ".log"))) {
      node.awaitListening(taken, Duration.ofSeconds(30));
      String out = assertFailsWithin(Duration.ofSeconds(10));
      assertTrue(out.contains("quickstart: port " + taken + " (for host-exporter) is taken by another program"), out);
      assertTrue(!out.contains("http://localhost:"), "no URLs printed:\n" + out);
    }
  }

  @Test
  void anExporterThatCannotBindStopsTheOthersAndSaysWhy() throws Exception {
    int taken = ports.get("ml-model-exporter");
    // Bound and not listening: invisible to a connect, so the exporter itself meets the taken port.
    try (Socket squatter = new Socket()) {
      squatter.bind(new InetSocketAddress("0.0.0.0", taken));
      // The exporter meets the port only once its JVM is up: four JVMs starting on a loaded
      // machine take seconds, so this bound is looser than the check before starting.
      String out = assertFailsWithin(Duration.ofSeconds(30));
      List<String> reasons = out.lines().filter(l -> l.startsWith("quickstart: ml-model-exporter did not start")).toList();
      assertEquals(1, reasons.size(), out);
      assertTrue(reasons.getFirst().contains("Address already in use"), reasons.getFirst());
      assertTrue(!out.contains("Promsuite exporters are running"), out);
    }
  }

  /** Runs quickstart, which must exit non-zero within {@code limit} leaving no exporter behind; returns its output. */
  private String assertFailsWithin(Duration limit) throws Exception {
    Process script = quickstart();
    try {
      boolean ended = script.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        stop(script);
      }
      String out = new String(script.getInputStream().readAllBytes());
      assertTrue(ended, "quickstart still running after " + limit.toSeconds() + " s:\n" + out);
      assertNotEquals(0, script.exitValue(), out);
      assertEquals(List.of(), exportersStillRunning(), out);
      return out;
    } finally {
      stop(script);
    }
  }

  /** Command lines of live processes listening (by flag) on this test's ports. */
  private List<String> exportersStillRunning() throws IOException {
    List<String> alive = new ArrayList<>();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.forEach(p -> {
        String cmd = p.info().commandLine().orElse("");
        for (int port : ports.values()) {
          if (cmd.contains("--web.listen-address=:" + port + " ") || cmd.endsWith("--web.listen-address=:" + port)) {
            alive.add(p.pid() + " " + cmd);
          }
        }
      });
    }
    return alive;
  }

  private static void stop(Process script) {
    List<ProcessHandle> children = script.descendants().toList();
    script.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
