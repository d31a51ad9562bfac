package io.promsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.e2e.stack.SuiteLayout;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code packaging/local-stack}: one command starts the stack, prints its URLs, and Ctrl-C stops all it started. */
class LocalStackScriptTest {
  private static final Pattern URL_LINE = Pattern.compile("^\\s+(\\S+)\\s+(http://127\\.0\\.0\\.1:\\d+/)$");

  @Test
  void startsEverythingPrintsTheUrlsAndStopsAllItStartedOnInterrupt(@TempDir Path dir) throws Exception {
    SuiteLayout layout = SuiteLayout.find(Path.of(""));
    for (String module : List.of("e2e", "host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter")) {
      if (!Files.isExecutable(layout.launcher(module))) {
        // The script would build the suite itself; the reactor builds it before this test in CI.
        RealParts.missing(layout.launcher(module) + " is not built");
      }
    }
    for (String bin : List.of("/usr/bin/prometheus", "/usr/bin/prometheus-alertmanager", "/usr/bin/prometheus-pushgateway")) {
      RealParts.require(bin);
    }
    if (!Files.exists(Path.of("/var/run/docker.sock")) && !RealParts.isRoot()) {
      RealParts.missing("no /var/run/docker.sock, and the private dockerd local-stack would start needs root");
    }
    Process script = new ProcessBuilder(layout.root().resolve("packaging/local-stack").toString(), "--fast", "--free-ports",
        "--dir=" + dir).directory(layout.root().toFile()).redirectErrorStream(true).start();
    List<ProcessHandle> started = new ArrayList<>();
    Map<String, String> urls = new LinkedHashMap<>();
    List<String> output = new ArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream()));
    try {
      String line;
      while ((line = out.readLine()) != null) {
        output.add(line);
        Matcher m = URL_LINE.matcher(line);
        if (m.matches()) {
          urls.put(m.group(1), m.group(2));
        }
        if (line.startsWith("Ctrl-C stops everything")) {
          break;
        }
      }
      assertTrue(script.isAlive(), "local-stack exited:\n" + String.join("\n", output));
      for (String part : List.of("prometheus-a", "alertmanager-1", "pushgateway", "inference-gateway", "receivers",
          "host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter")) {
        assertTrue(urls.containsKey(part), part + " in the printed URLs:\n" + String.join("\n", output));
      }
      assertEquals(200, Http.get(urls.get("prometheus-a") + "-/ready").statusCode());
      assertEquals(200, Http.get(urls.get("alertmanager-1") + "-/ready").statusCode());
      assertEquals(200, Http.get(urls.get("inference-gateway") + "health").statusCode());
      assertEquals("[ ]", Http.get(urls.get("receivers") + "pagerduty").body());
      script.descendants().forEach(started::add);
      assertTrue(started.size() >= 8, "the stack's processes are the script's children: " + started.size());
      // Ctrl-C: SIGINT to the script (which is the JVM: the script execs it). A process started in
      // the background by a non-interactive shell inherits SIGINT ignored, and nothing can handle
      // it then; SIGTERM stops the stack the same way.
      String signal = sigintIgnored(script.pid()) ? "-TERM" : "-INT";
      new ProcessBuilder("kill", signal, Long.toString(script.pid())).start().waitFor();
      assertTrue(script.waitFor(90, TimeUnit.SECONDS), "local-stack still running 90 s after SIGINT");
      out.lines().forEach(output::add);
      assertTrue(output.contains("local-stack: stopping everything it started"), String.join("\n", output));
      for (ProcessHandle p : started) {
        p.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(!p.isAlive(), "still running after Ctrl-C: " + p.pid() + " " + p.info().commandLine().orElse(""));
      }
    } finally {
      script.destroyForcibly();
      for (ProcessHandle p : started) {
        p.destroyForcibly();
      }
    }
  }

  private static boolean sigintIgnored(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0;
      }
    }
    return false;
  }
}
