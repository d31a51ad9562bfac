package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cgroup v2 fixture (src/test/resources/fixtures/v2), the only proof for v2 since these machines
 * run v1; expectations computed by hand.
 */
class CgroupV2ReaderTest {
  private static final Path ROOT = Fixtures.root("v2");
  private static final String CGROUP = "/system.slice/docker-fedcba9876543210.scope";

  private static CgroupReader reader() throws IOException {
    return CgroupReader.detect(ROOT.resolve("sys/fs/cgroup"), ROOT.resolve("proc"), ROOT.resolve("sys"),
        HostFiles.Options.DEFAULT);
  }

  @Test
  void detectsTheUnifiedHierarchyAndLocatesTheScope() throws IOException {
    CgroupReader r = reader();
    assertInstanceOf(CgroupV2Reader.class, r);
    assertEquals("v2", r.version());
    assertEquals(CGROUP, r.locate(2000));
  }

  @Test
  void cpuFromMicrosecondsWithoutPerCpu() throws IOException {
    Usage u = reader().read(CGROUP, 2000);
    assertEquals(5_000_000_000L, u.cpuTotalNanos());
    assertEquals(3_000_000_000L, u.cpuUserNanos());
    assertEquals(2_000_000_000L, u.cpuSystemNanos());
    assertEquals(List.of(), u.perCpuNanos());
    assertEquals(10, u.cfsPeriods());
    assertEquals(4, u.cfsThrottledPeriods());
    assertEquals(1_500_000_000L, u.cfsThrottledNanos());
  }

  @Test
  void memoryFromAnonFileAndInactiveFile() throws IOException {
    Usage u = reader().read(CGROUP, 2000);
    assertEquals(50_000_000L, u.memoryUsage());
    // memory.current 50000000 - inactive_file 15000000
    assertEquals(35_000_000L, u.memoryWorkingSet());
    assertEquals(20_000_000L, u.memoryRss());
    assertEquals(25_000_000L, u.memoryCache());
    assertEquals(4096L, u.memorySwap());
    assertEquals(7L, u.memoryFailcnt(), "memory.events max is v2's failcnt");
    assertEquals(60_000_000L, u.memoryMaxUsage());
  }

  @Test
  void pidsIoStatNetworkAndTaskStates() throws IOException {
    Usage u = reader().read(CGROUP, 2000);
    assertEquals(3, u.pids());
    assertEquals(100, u.pidsLimit());
    // io.stat: bytes and I/Os by Read, Write and Discard; cost.* keys are no cAdvisor family.
    List<Usage.DeviceOps> bytes = u.blkio().get(Usage.Blkio.SERVICE_BYTES);
    assertEquals(new Usage.DeviceOps("8:16", 8, 16, Map.of("Read", 1_048_576L, "Write", 2_097_152L, "Discard", 4096L)),
        bytes.getFirst());
    assertEquals(new Usage.DeviceOps("/dev/nvme0n1", 259, 0, Map.of("Read", 512L, "Write", 0L, "Discard", 0L)),
        bytes.get(1));
    assertEquals(Map.of("Read", 10L, "Write", 20L, "Discard", 1L), u.blkio().get(Usage.Blkio.SERVICED).getFirst().ops());
    assertEquals(2, u.blkio().size(), "v2 has no sectors, times, merges or queue tables");
    assertEquals(List.of(new Usage.NetworkInterface("eth0", 7000, 70, 1, 0, 3000, 30, 0, 2),
        new Usage.NetworkInterface("eth1", 100, 1, 0, 0, 200, 2, 0, 0)), u.networks());
    assertEquals(Map.of("sleeping", 1L, "running", 0L, "stopped", 1L, "uninterruptible", 1L, "iowaiting", 0L),
        u.taskStates());
  }
}
