package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine API stats bodies: one captured from the local cgroup v1 daemon, one in the v2 shape. */
class EngineStatsTest {

  private static Usage parse(String resource) throws IOException {
    try (InputStream in = EngineStatsTest.class.getResourceAsStream("/engine/" + resource)) {
      return EngineStats.parse(in, resource, mm -> mm.equals("8:0") ? "/dev/sda" : mm);
    }
  }

  @Test
  void cgroupV1BodyCapturedFromTheLocalDaemon() throws IOException {
    Usage u = parse("stats-v1.json");
    assertEquals(47_143_726_764L, u.cpuTotalNanos());
    assertEquals(46_700_000_000L, u.cpuUserNanos());
    assertEquals(430_000_000L, u.cpuSystemNanos());
    assertEquals(List.of(21_791_935_688L, 25_351_791_076L), u.perCpuNanos());
    assertEquals(1052, u.cfsPeriods());
    assertEquals(680, u.cfsThrottledPeriods());
    assertEquals(23_118_228_545L, u.cfsThrottledNanos());
    assertEquals(909_312L, u.memoryUsage());
    assertEquals(909_312L, u.memoryWorkingSet(), "total_inactive_file is 0");
    assertEquals(65_536L, u.memoryRss());
    assertEquals(360_448L, u.memoryCache());
    assertEquals(3_547_136L, u.memoryMaxUsage());
    assertEquals(1, u.pids());
    assertEquals(List.of(), u.networks(), "--network none has no networks in the stats");
    assertEquals(0, u.memoryFailcnt(), "the engine leaves a zero failcnt out");
    assertEquals(List.of(245_760L, 1037L, 5L), List.of(u.memory().mappedFile(), u.memory().pgfault(), u.memory().pgmajfault()));
    assertTrue(u.blkio().isEmpty(), "empty tables: no device series");
  }

  @Test
  void cgroupV2BodyUsesAnonFileAndInactiveFile() throws IOException {
    Usage u = parse("stats-v2.json");
    assertEquals(7_500_000_000L, u.cpuTotalNanos());
    assertEquals(5_000_000_000L, u.cpuUserNanos());
    assertEquals(2_500_000_000L, u.cpuSystemNanos());
    assertEquals(List.of(), u.perCpuNanos());
    assertEquals(30_000_000L, u.memoryUsage());
    assertEquals(21_000_000L, u.memoryWorkingSet(), "30000000 - inactive_file 9000000");
    assertEquals(12_000_000L, u.memoryRss());
    assertEquals(16_000_000L, u.memoryCache());
    assertEquals(4, u.pids());
    assertEquals(512, u.pidsLimit());
    assertEquals(List.of(new Usage.NetworkInterface("eth0", 5000, 50, 1, 2, 6000, 60, 3, 4)), u.networks());
    // v2 daemons write lower-case operations; cAdvisor's are capitalised.
    assertEquals(List.of(new Usage.DeviceOps("/dev/sda", 8, 0, Map.of("Read", 1_048_576L, "Write", 4096L)),
        new Usage.DeviceOps("8:16", 8, 16, Map.of("Read", 512L))), u.blkio().get(Usage.Blkio.SERVICE_BYTES));
    assertEquals(java.util.Set.of(Usage.Blkio.SERVICE_BYTES), u.blkio().keySet(), "io_serviced_recursive is null");
    Usage.Memory m = u.memory();
    assertEquals(List.of(1_000_000L, 400L, 3L, 8192L, 0L, 20L, 18L, 1L, 2L, 7_000_000L, 9_000_000L),
        List.of(m.mappedFile(), m.pgfault(), m.pgmajfault(), m.fileDirty(), m.fileWriteback(), m.pgscan(), m.pgsteal(),
            m.refaultAnon(), m.refaultFile(), m.activeFile(), m.inactiveFile()));
    assertEquals(0, u.memoryFailcnt(), "no failcnt in the body: the counter is 0, as cAdvisor always has it");
  }

  @Test
  void cgroupV1BlkioTablesAndTheFailcntTheEngineLeavesOutWhenZero() throws IOException {
    String body = """
        {"cpu_stats": {"cpu_usage": {"total_usage": 1}}, "memory_stats": {"usage": 100, "stats": {"total_rss": 10,
          "total_cache": 20, "total_mapped_file": 4096, "pgfault": 77, "pgmajfault": 1}},
         "blkio_stats": {
          "io_service_bytes_recursive": [{"major": 8, "minor": 0, "op": "Read", "value": 4096},
            {"major": 8, "minor": 0, "op": "Write", "value": 8192}, {"major": 8, "minor": 0, "op": "Total", "value": 12288}],
          "io_serviced_recursive": [{"major": 8, "minor": 0, "op": "Read", "value": 1},
            {"major": 8, "minor": 0, "op": "Write", "value": 2}],
          "io_queue_recursive": [{"major": 8, "minor": 0, "op": "Total", "value": 3}],
          "io_time_recursive": [{"major": 8, "minor": 0, "op": "", "value": 40}],
          "sectors_recursive": null}}""";
    Usage u = EngineStats.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "x", s -> s);
    assertEquals(0, u.memoryFailcnt());
    assertEquals(new Usage.DeviceOps("8:0", 8, 0, Map.of("Read", 4096L, "Write", 8192L, "Total", 12288L)),
        u.blkio().get(Usage.Blkio.SERVICE_BYTES).getFirst());
    assertEquals(2, u.blkio().get(Usage.Blkio.SERVICED).getFirst().op("Write"));
    assertEquals(3, u.blkio().get(Usage.Blkio.QUEUED).getFirst().op("Total"), "the engine's io_queue_recursive");
    assertEquals(Map.of("Count", 40L), u.blkio().get(Usage.Blkio.TIME).getFirst().ops(), "no op: Count");
    assertEquals(List.of(4096L, 77L, 1L), List.of(u.memory().mappedFile(), u.memory().pgfault(), u.memory().pgmajfault()));
    assertEquals(Usage.UNKNOWN, u.memory().fileDirty(), "a v2-only field is not invented on v1");
  }

  @Test
  void malformedJsonIsAnErrorNamingTheRequest() {
    IOException e = assertThrows(IOException.class, () -> EngineStats.parse(
        new ByteArrayInputStream("{\"cpu_stats\": {".getBytes(StandardCharsets.UTF_8)), "GET /containers/x/stats", s -> s));
    assertTrue(e.getMessage().startsWith("GET /containers/x/stats: malformed stats JSON"), e.getMessage());
    IOException wrongShape = assertThrows(IOException.class, () -> EngineStats.parse(
        new ByteArrayInputStream("[1,2]".getBytes(StandardCharsets.UTF_8)), "GET /containers/y/stats", s -> s));
    assertEquals("GET /containers/y/stats: stats JSON without cpu_stats/memory_stats", wrongShape.getMessage());
  }
}
