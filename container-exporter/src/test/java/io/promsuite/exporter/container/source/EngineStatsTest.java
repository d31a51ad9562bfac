package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    assertEquals(Usage.UNKNOWN, u.memoryFailcnt(), "v2 daemons send no failcnt");
    assertEquals(4, u.pids());
    assertEquals(512, u.pidsLimit());
    assertEquals(List.of(new Usage.NetworkInterface("eth0", 5000, 50, 1, 2, 6000, 60, 3, 4)), u.networks());
    assertEquals(List.of(new Usage.BlockIo("/dev/sda", 1_048_576, 4096), new Usage.BlockIo("8:16", 512, 0)), u.blockIo());
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
