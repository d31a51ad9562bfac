package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.collect.CollectorRegistry;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --collector.systemd} on a host where no system bus answers (this machine: no systemd as PID
 * 1, no dbus-daemon): like Debian's node_exporter 1.5 on the same address, the collector reports
 * {@code node_scrape_collector_success 0}, serves no node_systemd_* family, logs one line per scrape
 * that says why, and every other collector is served as usual.
 */
class SystemdAbsentTest {
  @TempDir
  Path tmp;

  @Test
  void noSystemBusMeansCollectorFailedAndOneLogLinePerScrapeAsNodeExporter() throws Exception {
    // As root both also try systemd's private socket when the bus does not answer.
    Assumptions.assumeFalse(Files.exists(Path.of("/run/systemd/private")), "systemd runs on this host");
    String address = "unix:path=" + tmp.resolve("no_bus_here");
    Map<String, String> env = Map.of("DBUS_SYSTEM_BUS_ADDRESS", address);
    int port = Ports.free();
    Path theirLog = tmp.resolve("node_exporter.log");
    List<LogRecord> ourLog = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        ourLog.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger registryLog = Logger.getLogger(CollectorRegistry.class.getName());
    Exposition mine;
    Exposition theirs;
    try (RealProcess nodeExporter = RealProcess.start(List.of(
            RealParts.require("/usr/bin/prometheus-node-exporter").toString(), "--web.listen-address=127.0.0.1:" + port,
            "--collector.disable-defaults", "--collector.systemd", "--collector.loadavg"), theirLog, env);
        Exporter.Running ours = HostExporter.builder(env::get).start("--web.listen-address=127.0.0.1:0",
            "--collector.disable-defaults", "--collector.systemd", "--collector.loadavg")) {
      String url = "http://127.0.0.1:" + port + "/metrics";
      nodeExporter.awaitHttp(url, Duration.ofSeconds(20));
      theirs = Exposition.parse(Http.get(url).body());
      // After the start, which resets JUL's handlers.
      registryLog.addHandler(capture);
      try {
        mine = Exposition.parse(Http.get("http://127.0.0.1:" + ours.port() + "/metrics").body());
      } finally {
        registryLog.removeHandler(capture);
      }
    }
    for (Exposition e : List.of(theirs, mine)) {
      assertEquals(0, e.value("node_scrape_collector_success", Map.of("collector", "systemd")));
      assertEquals(1, e.value("node_scrape_collector_success", Map.of("collector", "loadavg")));
      assertTrue(e.types.keySet().stream().noneMatch(f -> f.startsWith("node_systemd_")), e.types.keySet().toString());
    }

    // node_exporter was scraped by the readiness wait too: one line for each of its scrapes.
    List<String> theirLines = Files.readAllLines(theirLog).stream().filter(l -> l.contains("msg=\"collector failed\"")).toList();
    assertTrue(!theirLines.isEmpty() && theirLines.stream().allMatch(l -> l.contains("name=systemd")
        && l.contains("err=\"couldn't get dbus connection: ")), String.join("\n", theirLines));
    List<LogRecord> failed = ourLog.stream().filter(r -> r.getMessage().equals("collector failed")).toList();
    assertEquals(1, failed.size(), "one line for our one scrape");
    assertEquals(Level.WARNING, failed.get(0).getLevel());
    Object[] kv = failed.get(0).getParameters();
    assertEquals(List.of("collector", "systemd"), List.of(kv[0], kv[1]));
    String err = String.valueOf(kv[3] instanceof Throwable t ? t.getMessage() : kv[3]);
    assertTrue(err.startsWith("couldn't get dbus connection: " + address + ": "), err);
    if (RealParts.isRoot()) {
      assertTrue(err.contains("; unix:path=/run/systemd/private: "), err);
    }
  }
}
