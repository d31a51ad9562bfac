package io.promsuite.exporter.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter as a process: bad config at start, SIGHUP reload, SIGTERM shutdown. */
class ProcessLifecycleTest {
  @TempDir
  Path dir;

  private List<String> demo(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.promsuite.exporter.common.DemoExporter"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void badConfigAtStartExits1NamingFileLineAndField() throws Exception {
    Path config = dir.resolve("demo.yml");
    Files.writeString(config, "value: 1\nvalu: 2\n");
    Process p = new ProcessBuilder(demo("--config.file=" + config)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(1, p.waitFor(), out);
    assertTrue(out.contains(config + ":2"), out);
    assertTrue(out.contains("unknown field \"valu\""), out);
  }

  @Test
  void aFaultOfOursAtStartIsOneLineWithoutClassNamesUnlessDebugIsAsked() throws Exception {
    Process p = new ProcessBuilder(demo("--demo.fault-at-start")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(1, p.waitFor(), out);
    List<String> errors = out.lines().filter(l -> !l.contains(" level=info ")).toList();
    assertEquals(1, errors.size(), out);
    assertTrue(errors.getFirst().startsWith("demo-exporter: error: unexpected failure while starting"), out);
    assertTrue(errors.getFirst().endsWith("(--log.level=debug prints the stack trace)"), out);
    assertTrue(!out.contains("Exception") && !out.contains("\tat "), out);

    Process debug = new ProcessBuilder(demo("--demo.fault-at-start", "--log.level=debug")).redirectErrorStream(true).start();
    String trace = new String(debug.getInputStream().readAllBytes());
    assertEquals(1, debug.waitFor(), trace);
    assertTrue(trace.contains("java.lang.NullPointerException") && trace.contains("\tat "), trace);
  }

  @Test
  void sighupReloadsAndABadReloadKeepsTheOldConfig() throws Exception {
    Path config = dir.resolve("demo.yml");
    Files.writeString(config, "value: 1\n");
    int port = Ports.free();
    String url = "http://127.0.0.1:" + port + "/metrics";
    try (RealProcess p = RealProcess.start(demo("--config.file=" + config, "--web.listen-address=127.0.0.1:" + port),
        dir.resolve("demo.log"))) {
      p.awaitHttp(url, Duration.ofSeconds(30));
      assertEquals(1, Exposition.parse(Http.get(url).body()).value("demo_value", Map.of()));
      Files.writeString(config, "value: 2\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      awaitValue(url, "demo_value", 2);
      Files.writeString(config, "value: [broken\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      awaitValue(url, "demo_config_last_reload_successful", 0);
      assertEquals(2, Exposition.parse(Http.get(url).body()).value("demo_value", Map.of()), "old config kept");
      assertTrue(p.output().contains("reload failed, keeping the previous configuration"), p.output());
    }
  }

  @Test
  void sigtermShutsDownGracefully() throws Exception {
    int port = Ports.free();
    try (RealProcess p = RealProcess.start(demo("--web.listen-address=127.0.0.1:" + port), dir.resolve("d.log"))) {
      p.awaitHttp("http://127.0.0.1:" + port + "/-/healthy", Duration.ofSeconds(30));
      p.process().destroy(); // SIGTERM
      assertTrue(p.process().waitFor(10, TimeUnit.SECONDS), "stopped within 10 s");
      assertEquals(0, p.process().exitValue(), "a stop asked for is a clean exit (systemd: no failed unit)");
      assertTrue(p.output().contains("msg=\"shutting down\""), p.output());
    }
  }

  private static void awaitValue(String url, String name, double expected) {
    Poll.until(Duration.ofSeconds(20), name + " = " + expected + " at " + url,
        () -> Exposition.parse(Http.get(url).body()).value(name, Map.of()), v -> v == expected);
  }
}
