package io.promsuite.exporter.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.promsuite.exporter.common.collect.PageSize;
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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCollectorTest {
  @TempDir
  Path dir;

  /** Family name as served (a counter with _total) -> type and value. */
  private static Map<String, Object[]> served(ProcessCollector c) {
    Map<String, Object[]> out = new TreeMap<>();
    for (MetricSnapshot s : c.collect()) {
      if (s instanceof CounterSnapshot counter) {
        out.put(s.getMetadata().getName() + "_total",
            new Object[] {"counter", counter.getDataPoints().getFirst().getValue()});
      } else {
        out.put(s.getMetadata().getName(),
            new Object[] {"gauge", ((GaugeSnapshot) s).getDataPoints().getFirst().getValue()});
      }
    }
    return out;
  }

  @Test
  void readsAFixtureProcessAsProcfsDoes() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("1234"));
    // comm with a space and a ')': fields are counted from the last ')'.
    Files.writeString(proc.resolve("stat"), "1234 (we) ird) S 1 1234 1234 0 -1 4194560 500 0 0 0 "
        + "250 150 0 0 20 0 12 0 360000 1073741824 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    Files.writeString(proc.resolve("limits"), """
        Limit                     Soft Limit           Hard Limit           Units
        Max open files            1024                 524288               files
        Max address space         unlimited            unlimited            bytes
        """);
    Path fd = Files.createDirectories(proc.resolve("fd"));
    for (String n : List.of("0", "1", "2")) {
      Files.createFile(fd.resolve(n));
    }
    Map<String, Object[]> got = served(new ProcessCollector(proc, 1_700_000_000));
    assertEquals(List.of("process_cpu_seconds_total", "process_max_fds", "process_open_fds",
        "process_resident_memory_bytes", "process_start_time_seconds", "process_virtual_memory_bytes",
        "process_virtual_memory_max_bytes"), List.copyOf(got.keySet()));
    assertEquals(4.0, got.get("process_cpu_seconds_total")[1]);
    assertEquals("counter", got.get("process_cpu_seconds_total")[0]);
    assertEquals(1024.0, got.get("process_max_fds")[1]);
    assertEquals(3.0, got.get("process_open_fds")[1]);
    assertEquals(2048.0 * PageSize.bytes(), got.get("process_resident_memory_bytes")[1]);
    assertEquals(1_700_003_600.0, got.get("process_start_time_seconds")[1]);
    assertEquals(1073741824.0, got.get("process_virtual_memory_bytes")[1]);
    assertEquals(18446744073709551615.0, got.get("process_virtual_memory_max_bytes")[1]);
  }

  @Test
  void missingFilesLeaveTheirFamiliesOut() {
    assertEquals(Map.of(), served(new ProcessCollector(dir.resolve("gone"), 1)));
  }

  /**
   * node_exporter's own process_* (client_golang's process collector reading its /proc/PID) against
   * ours pointed at the same /proc/PID: the same families and types, the same values where they do
   * not move between the two reads.
   */
  @Test
  void agreesWithNodeExportersProcessCollectorOnItsOwnProcess() throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    int port = Ports.free();
    try (RealProcess ne = RealProcess.start(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--collector.disable-defaults"), dir.resolve("ne.log"))) {
      ne.awaitHttp("http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(20));
      Exposition theirs = Exposition.parse(Http.get("http://127.0.0.1:" + port + "/metrics").body());
      Map<String, Object[]> ours = served(new ProcessCollector(Path.of("/proc/" + ne.pid()),
          ProcessCollector.bootTime(Path.of("/proc/stat"))));
      Map<String, String> theirTypes = new TreeMap<>();
      theirs.types.forEach((name, type) -> {
        if (name.startsWith("process_")) {
          theirTypes.put(name, type);
        }
      });
      Map<String, String> ourTypes = new TreeMap<>();
      ours.forEach((name, v) -> ourTypes.put(name, (String) v[0]));
      assertEquals(theirTypes, ourTypes, ne.output());
      for (String exact : List.of("process_max_fds", "process_virtual_memory_max_bytes")) {
        assertEquals(theirs.value(exact, Map.of()), (double) ours.get(exact)[1], exact);
      }
      assertEquals(theirs.value("process_start_time_seconds", Map.of()), (double) ours.get("process_start_time_seconds")[1],
          0.011, "start time");
      assertEquals(theirs.value("process_open_fds", Map.of()), (double) ours.get("process_open_fds")[1], 3, "open fds");
      double rss = theirs.value("process_resident_memory_bytes", Map.of());
      assertEquals(rss, (double) ours.get("process_resident_memory_bytes")[1], rss * 0.25, "resident memory");
      double vsize = theirs.value("process_virtual_memory_bytes", Map.of());
      assertEquals(vsize, (double) ours.get("process_virtual_memory_bytes")[1], vsize * 0.25, "virtual memory");
      double cpu = theirs.value("process_cpu_seconds_total", Map.of());
      double ourCpu = (double) ours.get("process_cpu_seconds_total")[1];
      assertTrue(ourCpu >= cpu && ourCpu <= cpu + 0.5, "cpu " + cpu + " vs " + ourCpu);
    }
  }
}
