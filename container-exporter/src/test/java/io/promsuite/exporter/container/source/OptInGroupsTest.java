package io.promsuite.exporter.container.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cAdvisor's sched, referenced_memory, memory_numa and advtcp groups on the v1 and v2 fixture
 * trees (expectations worked out by hand from the files, written beside each assertion), and the
 * state they keep between readings on trees the test changes.
 */
class OptInGroupsTest {
  private static final MetricGroups FOUR = MetricGroups.parse("sched,referenced_memory,memory_numa,advtcp", "");

  private static HostFiles.Options options(MetricGroups groups, long resetInterval) {
    return new HostFiles.Options(100, Pattern.compile("^lo$"), false, groups, resetInterval);
  }

  private static Usage read(Path root, String cgroup, long pid, MetricGroups groups) throws IOException {
    return CgroupReader.detect(root.resolve("sys/fs/cgroup"), root.resolve("proc"), root.resolve("sys"),
        options(groups, 0)).read(cgroup, pid);
  }

  @Test
  void v1SumsSchedstatAndReferencedOverCgroupProcsAndReadsNumaPagesPerScope() throws IOException {
    Usage.OptIn o = read(Fixtures.root("v1"), "/docker/0123456789abcdef", 1234, FOUR).optIn();
    // schedstat of 1234 "5000000000 250000000 120" + 1235 "1500000000 50000000 30".
    assertEquals(List.of(6_500_000_000L, 300_000_000L, 150L), List.of(o.runNanos(), o.runqueueNanos(), o.runPeriods()));
    // smaps Referenced: 1234 has 1024 + 8 kB, 1235 has 100 + 0 kB: 1132 kB.
    assertEquals(1132 * 1024, o.referencedBytes());
    // memory.numa_stat: file=/anon=/unevictable= per node (container), hierarchical_* (hierarchy); no total.
    assertEquals(List.of(
        new Usage.NumaPages("file", "container", 0, 100), new Usage.NumaPages("file", "container", 1, 20),
        new Usage.NumaPages("anon", "container", 0, 90), new Usage.NumaPages("anon", "container", 1, 80),
        new Usage.NumaPages("unevictable", "container", 0, 10), new Usage.NumaPages("unevictable", "container", 1, 0),
        new Usage.NumaPages("file", "hierarchy", 0, 200), new Usage.NumaPages("file", "hierarchy", 1, 40),
        new Usage.NumaPages("anon", "hierarchy", 0, 180), new Usage.NumaPages("anon", "hierarchy", 1, 160),
        new Usage.NumaPages("unevictable", "hierarchy", 0, 20), new Usage.NumaPages("unevictable", "hierarchy", 1, 0)),
        o.numaPages());
    // The fixture's TcpExt values are their column numbers (TW is column 11, DelayedACKs 20 on this
    // kernel's netstat); Tcp from snmp; TCPFACKReorder is not in this kernel's netstat: 0, as cAdvisor.
    Map<String, Long> tcp = o.advancedTcp();
    assertEquals(99, tcp.size());
    assertEquals(List.of("rtoalgorithm", "rtomin", "rtomax", "maxconn"), tcp.keySet().stream().limit(4).toList(),
        "cAdvisor's order");
    assertEquals(List.of(1L, 200L, 120_000L, -1L, 7L, 5L, 1000L, 900L), List.of(tcp.get("rtoalgorithm"), tcp.get("rtomin"),
        tcp.get("rtomax"), tcp.get("maxconn"), tcp.get("activeopens"), tcp.get("passiveopens"), tcp.get("insegs"),
        tcp.get("outsegs")));
    assertEquals(List.of(1L, 11L, 0L), List.of(tcp.get("syncookiessent"), tcp.get("tw"), tcp.get("tcpfackreorder")));
    assertEquals(20L, tcp.get("delayedacks"));
  }

  @Test
  void v2CountsSchedstatOfChildCgroupsAndTurnsNumaBytesIntoPagesForBothScopes() throws IOException {
    Usage.OptIn o = read(Fixtures.root("v2"), "/system.slice/docker-fedcba9876543210.scope", 2000, FOUR).optIn();
    // cgroup.procs 2000, 2002 and the child cgroup sub/ with 2003:
    // 2000000000+500000000+250000000 ns, 100000000+25000000+5000000 ns, 40+10+5.
    assertEquals(List.of(2_750_000_000L, 130_000_000L, 55L), List.of(o.runNanos(), o.runqueueNanos(), o.runPeriods()));
    // Referenced of cgroup.procs only (as cAdvisor's GetPids): 2048 + 52 kB; 2003's 999 kB is not counted.
    assertEquals(2100 * 1024, o.referencedBytes());
    // Bytes / 4096 (KernelPageSize of proc/self/smaps): anon 409600 -> 100, file 819200 -> 200 and
    // 4096 -> 1, unevictable 8192 -> 2; kernel_stack, shmem, slab are no cAdvisor type.
    List<Usage.NumaPages> container = List.of(
        new Usage.NumaPages("anon", "container", 0, 100), new Usage.NumaPages("anon", "container", 1, 0),
        new Usage.NumaPages("file", "container", 0, 200), new Usage.NumaPages("file", "container", 1, 1),
        new Usage.NumaPages("unevictable", "container", 0, 2), new Usage.NumaPages("unevictable", "container", 1, 0));
    assertEquals(container, o.numaPages().subList(0, 6));
    assertEquals(container.stream().map(p -> new Usage.NumaPages(p.type(), "hierarchy", p.node(), p.pages())).toList(),
        o.numaPages().subList(6, 12));
    // TcpExt values are 1000 + their column; Tcp's are twice v1's.
    assertEquals(List.of(1011L, 14L, -1L), List.of(o.advancedTcp().get("tw"), o.advancedTcp().get("activeopens"),
        o.advancedTcp().get("maxconn")));
  }

  @Test
  void theGroupsAreOffByDefaultAndReadNothing() throws IOException {
    Usage.OptIn o = read(Fixtures.root("v1"), "/docker/0123456789abcdef", 1234, MetricGroups.DEFAULT).optIn();
    assertEquals(Usage.OptIn.NONE, o);
  }

  /** A cgroup v1 tree with one container "c" whose processes the test sets. */
  private static Path tree(Path root, String... pids) throws IOException {
    Path mem = root.resolve("sys/fs/cgroup/memory/docker/c");
    Files.createDirectories(mem);
    Files.writeString(mem.resolve("memory.usage_in_bytes"), "1\n");
    Files.writeString(mem.resolve("memory.stat"), "total_rss 1\n");
    Path acct = root.resolve("sys/fs/cgroup/cpuacct/docker/c");
    Files.createDirectories(acct);
    Files.writeString(acct.resolve("cpuacct.usage"), "1\n");
    Files.writeString(acct.resolve("cpuacct.stat"), "user 0\nsystem 0\n");
    Files.createDirectories(root.resolve("sys/fs/cgroup/cpu/docker/c"));
    Files.writeString(root.resolve("sys/fs/cgroup/cpu/docker/c/cgroup.procs"), String.join("\n", pids) + "\n");
    return root.resolve("sys/fs/cgroup/cpu/docker/c");
  }

  private static void process(Path root, String pid, String schedstat, long referencedKb) throws IOException {
    Path dir = root.resolve("proc").resolve(pid);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("schedstat"), schedstat + "\n");
    Files.writeString(dir.resolve("smaps"), "00400000-00401000 r-xp 0 fd:00 1 /bin/x\nReferenced:   " + referencedKb
        + " kB\n");
    Files.writeString(dir.resolve("clear_refs"), "");
  }

  @Test
  void anExitedProcessKeepsItsLastSchedstatInTheSumSoTheCountersNeverGoBack(@TempDir Path root) throws IOException {
    Path procs = tree(root, "10", "11");
    process(root, "10", "100 10 1", 0);
    process(root, "11", "200 20 2", 0);
    CgroupReader r = new CgroupV1Reader(root.resolve("sys/fs/cgroup"), new HostFiles(root.resolve("proc"),
        root.resolve("sys"), options(MetricGroups.parse("sched", ""), 0)));
    assertEquals(300, r.read("/docker/c", 0).optIn().runNanos());
    // 11 ran on, then exited; 12 started: 11's last figures (250) stay in the sum with 10's and 12's.
    process(root, "11", "250 25 3", 0);
    assertEquals(350, r.read("/docker/c", 0).optIn().runNanos());
    Files.writeString(procs.resolve("cgroup.procs"), "10\n12\n");
    process(root, "12", "5 1 1", 0);
    Usage.OptIn o = r.read("/docker/c", 0).optIn();
    assertEquals(List.of(355L, 36L, 5L), List.of(o.runNanos(), o.runqueueNanos(), o.runPeriods()));
    // A PID in cgroup.procs whose /proc entry is gone (exited between the reads) is skipped.
    Files.writeString(procs.resolve("cgroup.procs"), "10\n12\n13\n");
    assertEquals(355, r.read("/docker/c", 0).optIn().runNanos());
  }

  @Test
  void referencedPagesAreClearedAfterEveryNthReadingOfAContainerAsCadvisorsResetInterval(@TempDir Path root)
      throws IOException {
    tree(root, "10", "11");
    process(root, "10", "1 1 1", 300);
    process(root, "11", "1 1 1", 12);
    CgroupReader r = new CgroupV1Reader(root.resolve("sys/fs/cgroup"), new HostFiles(root.resolve("proc"),
        root.resolve("sys"), options(MetricGroups.parse("referenced_memory", ""), 3)));
    Path clear10 = root.resolve("proc/10/clear_refs");
    Path clear11 = root.resolve("proc/11/clear_refs");
    for (int reading = 1; reading <= 6; reading++) {
      assertEquals(312 * 1024, r.read("/docker/c", 0).optIn().referencedBytes(), "read before any reset");
      String expected = reading % 3 == 0 ? "1\n" : "";
      assertEquals(expected, Files.readString(clear10), "clear_refs of 10 after reading " + reading);
      assertEquals(expected, Files.readString(clear11), "clear_refs of 11 after reading " + reading);
      Files.writeString(clear10, "");
      Files.writeString(clear11, "");
    }
    CgroupReader never = new CgroupV1Reader(root.resolve("sys/fs/cgroup"), new HostFiles(root.resolve("proc"),
        root.resolve("sys"), options(MetricGroups.parse("referenced_memory", ""), 0)));
    for (int reading = 1; reading <= 4; reading++) {
      never.read("/docker/c", 0);
    }
    assertEquals("", Files.readString(clear10), "interval 0 (cAdvisor's default) never writes clear_refs");
  }

  @Test
  void malformedFilesAreNamedWithTheirLine(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("7/net"));
    Files.writeString(root.resolve("7/net/netstat"), "TcpExt: A B C\nTcpExt: 1 2\n");
    Files.writeString(root.resolve("7/net/snmp"), "");
    IOException e = assertThrows(IOException.class, () -> AdvancedTcp.read(root, 7));
    assertEquals(root.resolve("7/net/netstat") + ":2: 3 names for TcpExt: but 2 values", e.getMessage());
    assertTrue(AdvancedTcp.read(root, 8).isEmpty(), "a process that is gone has no table");

    Path numa = root.resolve("memory.numa_stat");
    Files.writeString(numa, "total=3 N0=3\nfile=3 X0=3\n");
    IOException n = assertThrows(IOException.class, () -> NumaStat.read(numa, false, 1));
    assertEquals(numa + ":2: expected N<node>=<value>, got 'X0=3'", n.getMessage());
  }
}
