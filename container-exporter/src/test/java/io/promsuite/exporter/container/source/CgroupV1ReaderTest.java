package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1 fixture (src/test/resources/fixtures/v1) with expectations computed by hand. */
class CgroupV1ReaderTest {
  private static final Path ROOT = Fixtures.root("v1");
  private static final String CGROUP = "/docker/0123456789abcdef";

  private static CgroupReader reader(HostFiles.Options options) throws IOException {
    return CgroupReader.detect(ROOT.resolve("sys/fs/cgroup"), ROOT.resolve("proc"), ROOT.resolve("sys"), options);
  }

  @Test
  void detectsV1LayoutAndLocatesTheMemoryControllersPath() throws IOException {
    CgroupReader r = reader(HostFiles.Options.DEFAULT);
    assertInstanceOf(CgroupV1Reader.class, r);
    assertEquals("/docker/0123456789abcdef", r.locate(1234));
    assertEquals(null, r.locate(999), "a process that is gone has no cgroup");
  }

  @Test
  void cpuTotalAndPerCpuInNanosecondsUserAndSystemFromUserHzTicks() throws IOException {
    Usage u = reader(HostFiles.Options.DEFAULT).read(CGROUP, 1234);
    assertEquals(123_456_789_000L, u.cpuTotalNanos());
    // cpuacct.stat: user 9000 ticks, system 1500 ticks at USER_HZ=100 -> 90 s and 15 s.
    assertEquals(90_000_000_000L, u.cpuUserNanos());
    assertEquals(15_000_000_000L, u.cpuSystemNanos());
    assertEquals(List.of(100_000_000_000L, 0L, 23_456_789_000L), u.perCpuNanos());
    assertEquals(500, u.cfsPeriods());
    assertEquals(20, u.cfsThrottledPeriods());
    assertEquals(2_500_000_000L, u.cfsThrottledNanos());
  }

  @Test
  void memoryUsesHierarchicalTotalsAndWorkingSetIsUsageMinusInactiveFile() throws IOException {
    Usage u = reader(HostFiles.Options.DEFAULT).read(CGROUP, 1234);
    assertEquals(104_857_600L, u.memoryUsage());
    // 104857600 - total_inactive_file 31457280 = 73400320
    assertEquals(73_400_320L, u.memoryWorkingSet());
    assertEquals(52_428_800L, u.memoryRss());
    assertEquals(41_943_040L, u.memoryCache());
    assertEquals(8192L, u.memorySwap());
    assertEquals(3L, u.memoryFailcnt());
    assertEquals(209_715_200L, u.memoryMaxUsage());
  }

  @Test
  void pidsBlockIoAndTaskStates() throws IOException {
    Usage u = reader(HostFiles.Options.DEFAULT).read(CGROUP, 1234);
    assertEquals(2, u.pids());
    assertEquals(0, u.pidsLimit(), "pids.max 'max' is reported as 0 like cAdvisor");
    // The cfq group is complete, so it wins over the throttle files beside it, as in libcontainer.
    List<Usage.DeviceOps> bytes = u.blkio().get(Usage.Blkio.SERVICE_BYTES);
    assertEquals(List.of("/dev/sda", "253:1"), bytes.stream().map(Usage.DeviceOps::device).toList(),
        "8:0 named from /sys/dev/block, 253:1 (no uevent) by its numbers");
    assertEquals(Map.of("Read", 4096L, "Write", 8192L, "Sync", 12288L, "Async", 0L, "Discard", 0L, "Total", 12288L),
        bytes.getFirst().ops());
    assertEquals(8, bytes.getFirst().major());
    assertEquals(List.of(253L, 1L), List.of(bytes.get(1).major(), bytes.get(1).minor()));
    assertEquals(10, u.blkio().get(Usage.Blkio.SERVICED).getFirst().op("Read"));
    assertEquals(20, u.blkio().get(Usage.Blkio.SERVICED).getFirst().op("Write"));
    assertEquals(Map.of("Count", 24L), u.blkio().get(Usage.Blkio.SECTORS).getFirst().ops(),
        "sectors_recursive has no operation column: cAdvisor files it under Count");
    assertEquals(2_500_000_000L, u.blkio().get(Usage.Blkio.SERVICE_TIME).getFirst().op("Total"));
    assertEquals(5, u.blkio().get(Usage.Blkio.MERGED).getFirst().op("Write"));
    assertEquals(2, u.blkio().get(Usage.Blkio.QUEUED).getFirst().op("Total"));
    assertEquals(8, u.blkio().size(), "all eight tables of the group");
    assertEquals(Map.of("sleeping", 1L, "running", 1L, "stopped", 0L, "uninterruptible", 0L, "iowaiting", 0L),
        u.taskStates());
  }

  @Test
  void networkCountersPerInterfaceSkippingLoAndVethByDefault() throws IOException {
    Usage u = reader(HostFiles.Options.DEFAULT).read(CGROUP, 1234);
    assertEquals(List.of(new Usage.NetworkInterface("eth0", 1_500_000, 1200, 2, 3, 250_000, 900, 4, 6)), u.networks());
    Usage all = reader(new HostFiles.Options(100, Pattern.compile("^$"), false, MetricGroups.DEFAULT)).read(CGROUP, 1234);
    assertEquals(List.of("lo", "eth0", "veth12ab"), all.networks().stream().map(Usage.NetworkInterface::name).toList());
    assertTrue(all.taskStates().isEmpty(), "task states off");
  }

  @Test
  void aContainerWhoseCgroupIsGoneIsReportedAsNoSuchFile() throws IOException {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> reader(HostFiles.Options.DEFAULT).read("/docker/gone", 1234));
    assertTrue(e.getMessage().contains("/docker/gone"), e.getMessage());
  }

  @Test
  void aMalformedNetDevLineNamesFileAndLine() {
    Path file = Path.of("/proc/7/net/dev");
    IOException e = assertThrows(IOException.class, () -> HostFiles.parseNetDev(file,
        List.of("h1", "h2", "  eth0: 1 2 3"), Pattern.compile("^lo$")));
    assertEquals("/proc/7/net/dev:3: expected 16 counters for eth0, got 3", e.getMessage());
  }

  @Test
  void aRootThatIsNoCgroupMountIsRejectedByName() {
    IOException e = assertThrows(IOException.class,
        () -> CgroupReader.detect(ROOT.resolve("proc"), ROOT.resolve("proc"), ROOT.resolve("sys"), HostFiles.Options.DEFAULT));
    assertTrue(e.getMessage().startsWith(ROOT.resolve("proc") + " is not a cgroup v1 or v2 mount"), e.getMessage());
  }

  @Test
  void memoryExtrasSpecLimitsOomKillsAndTheProcessGroups() throws IOException {
    Usage u = reader(new HostFiles.Options(100, Pattern.compile("^(lo|veth).*"), true,
        MetricGroups.parse("", ""))).read(CGROUP, 1234);
    Usage.Memory m = u.memory();
    assertEquals(List.of(4_194_304L, 12_345L, 67L, 2L, 67_108_864L, 268_435_456L),
        List.of(m.mappedFile(), m.pgfault(), m.pgmajfault(), m.oomKills(), m.reservation(), m.swapLimit()),
        "total_mapped_file, the local pgfault/pgmajfault (as cAdvisor), oom_control's oom_kill, soft limit, memsw limit");
    assertEquals(Usage.UNKNOWN, m.fileDirty(), "v2-only");
    assertEquals(4, u.cfsBursts());
    assertEquals(300_000_000L, u.cfsBurstNanos());
    Usage.Processes p = u.processes();
    assertEquals(2, p.processes(), "cpu cgroup.procs");
    assertEquals(1, p.memoryMigrate());
    assertEquals(1L, p.tcp().get("listen"));
    assertEquals(2L, p.tcp().get("established"));
    assertEquals(1L, p.tcp().get("timewait"));
    assertEquals(Map.of("listen", 2L, "dropped", 5L, "rxqueued", 16L, "txqueued", 512L), p.udp(),
        "queue column 00000010:00000200 read in cAdvisor's order");
    Usage defaults = reader(HostFiles.Options.DEFAULT).read(CGROUP, 1234);
    assertEquals(Usage.UNKNOWN, defaults.processes().processes(), "process is off by default");
    assertTrue(defaults.processes().tcp().isEmpty(), "tcp is off by default");
  }

  @Test
  void blkioFallsBackFromEmptyBfqFilesToTheThrottleFilesAsLibcontainerDoes(@TempDir Path root) throws IOException {
    Path dir = root.resolve("sys/fs/cgroup/blkio/docker/x");
    Files.createDirectories(dir);
    Files.createDirectories(root.resolve("sys/fs/cgroup/memory/docker/x"));
    Files.writeString(root.resolve("sys/fs/cgroup/memory/docker/x/memory.usage_in_bytes"), "1\n");
    Files.writeString(root.resolve("sys/fs/cgroup/memory/docker/x/memory.stat"), "total_rss 1\n");
    Files.createDirectories(root.resolve("sys/fs/cgroup/cpuacct/docker/x"));
    Files.writeString(root.resolve("sys/fs/cgroup/cpuacct/docker/x/cpuacct.usage"), "1\n");
    Files.writeString(root.resolve("sys/fs/cgroup/cpuacct/docker/x/cpuacct.stat"), "user 0\nsystem 0\n");
    // This kernel's layout: bfq files with only a Total line, throttle files with the counts.
    Files.writeString(dir.resolve("blkio.bfq.io_serviced_recursive"), "Total 0\n");
    Files.writeString(dir.resolve("blkio.bfq.io_service_bytes_recursive"), "Total 0\n");
    Files.writeString(dir.resolve("blkio.throttle.io_serviced_recursive"), "254:0 Read 256\n254:0 Write 264\nTotal 520\n");
    Files.writeString(dir.resolve("blkio.throttle.io_service_bytes_recursive"), "254:0 Read 1048576\nTotal 1048576\n");
    Files.writeString(dir.resolve("blkio.throttle.io_serviced"), "254:0 Read 1\n");
    CgroupReader r = new CgroupV1Reader(root.resolve("sys/fs/cgroup"), new HostFiles(root.resolve("proc"),
        root.resolve("sys"), HostFiles.Options.DEFAULT));
    Usage u = r.read("/docker/x", 0);
    assertEquals(java.util.Set.of(Usage.Blkio.SERVICED, Usage.Blkio.SERVICE_BYTES), u.blkio().keySet());
    assertEquals(264, u.blkio().get(Usage.Blkio.SERVICED).getFirst().op("Write"), "the recursive throttle file");
    assertEquals(1_048_576, u.blkio().get(Usage.Blkio.SERVICE_BYTES).getFirst().op("Read"));

    // A group whose first file has data but a later one is empty ends the reading there.
    Files.writeString(dir.resolve("blkio.bfq.io_serviced_recursive"), "8:0 Read 5\n");
    Usage partial = r.read("/docker/x", 0);
    assertEquals(java.util.Set.of(Usage.Blkio.SERVICED), partial.blkio().keySet());
    assertEquals(5, partial.blkio().get(Usage.Blkio.SERVICED).getFirst().op("Read"));

    Files.writeString(dir.resolve("blkio.throttle.io_serviced_recursive"), "254:0 Read x\n");
    Files.delete(dir.resolve("blkio.bfq.io_serviced_recursive"));
    IOException bad = assertThrows(IOException.class, () -> r.read("/docker/x", 0));
    assertEquals(dir.resolve("blkio.throttle.io_serviced_recursive") + ": expected a number, got 'x'", bad.getMessage());
  }

  @Test
  void theLayersDeviceAndItsDiskstatsLineComeFromMountinfoAndProcDiskstats() {
    HostFiles host = new HostFiles(ROOT.resolve("proc"), ROOT.resolve("sys"), HostFiles.Options.DEFAULT);
    assertEquals("/dev/vda", host.mountSource("/var/lib/docker"));
    assertEquals("254:0", host.mountDevice("/var/lib/docker"));
    assertEquals("0:25", host.mountDevice("/tmp/dk1/data"), "tmpfs: no block device");
    assertEquals(new HostFiles.DiskStats(37613, 8305, 2159698, 53340, 12890, 16738, 3256960, 9450, 3, 20056, 65306),
        host.diskStats("254:0"));
    assertEquals(null, host.diskStats("0:25"), "no diskstats line for tmpfs");
  }
}
