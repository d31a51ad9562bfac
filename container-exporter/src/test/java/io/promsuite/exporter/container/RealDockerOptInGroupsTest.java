package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.container.testing.Scrape;
import io.promsuite.exporter.common.testing.SharedDockerDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cAdvisor's off-by-default sched, referenced_memory, memory_numa and advtcp groups against the
 * real engine (cgroup v1 here), compared with what the kernel shows the test in /proc and the
 * cgroup files; and {@code container_oom_events_total} with {@code --source=docker}, from the
 * engine's {@code oom} events, for a child OOM-killed in a running container.
 */
@ExtendWith(SharedDockerDaemon.class)
class RealDockerOptInGroupsTest {
  private static final Path CGROUP = Path.of("/sys/fs/cgroup");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long MIB = 1024 * 1024;
  private static String holder;
  private static String talker;

  @BeforeAll
  static void containers(DockerDaemon engine) throws Exception {
    // 16 MiB written once into a shell variable, then never touched again while sh waits for sleep
    // (a command after sleep keeps sh from exec'ing it).
    holder = engine.runContainer("--name", "holder", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
        "x=$(yes | head -c 16777216); touch /tmp/ready; sleep 3600; echo ${#x}");
    // One TCP connection over the container's own lo: an active and a passive open, then quiet.
    talker = engine.runContainer("--name", "talker", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
        "httpd -f -p 8080 -h /tmp & sleep 1; wget -q -O /dev/null http://127.0.0.1:8080/; touch /tmp/ready; "
            + "sleep 3600");
    for (String c : List.of("holder", "talker")) {
      long end = System.nanoTime() + WAIT.toNanos();
      while (engine.tryDocker("exec", c, "test", "-f", "/tmp/ready").exit() != 0) {
        assertTrue(System.nanoTime() < end, c + " not ready: " + engine.tryDocker("logs", c));
        Thread.sleep(200);
      }
    }
  }

  @AfterAll
  static void removeContainers(DockerDaemon engine) {
    engine.tryDocker("rm", "-f", "holder", "talker", "late-oom");
  }

  private static Map<String, String> named(String name) {
    return Map.of("name", name);
  }

  private static List<String> procs(String id) throws Exception {
    return Files.readAllLines(CGROUP.resolve("cpu/docker").resolve(id).resolve("cgroup.procs")).stream()
        .filter(l -> !l.isBlank()).toList();
  }

  /** The kernel's schedstat of the container's processes, summed: {run ns, runqueue ns, periods}. */
  private static long[] schedstat(String id) throws Exception {
    long[] sum = new long[3];
    for (String pid : procs(id)) {
      String[] f = Files.readString(Path.of("/proc", pid, "schedstat")).trim().split(" ");
      for (int i = 0; i < 3; i++) {
        sum[i] += Long.parseLong(f[i]);
      }
    }
    return sum;
  }

  /** The Referenced lines of the container's processes' smaps, in bytes, as the kernel reports them to the test. */
  private static long referenced(String id) throws Exception {
    long kb = 0;
    for (String pid : procs(id)) {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "smaps"))) {
        if (line.startsWith("Referenced:")) {
          kb += Long.parseLong(line.split("\\s+")[1]);
        }
      }
    }
    return kb * 1024;
  }

  /** Tcp and TcpExt counters of a process's network namespace, by lower-cased name. */
  private static Map<String, Long> tcpCounters(long pid) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (String file : List.of("snmp", "netstat")) {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", file));
      for (int i = 0; i + 1 < lines.size(); i += 2) {
        String[] names = lines.get(i).split(" ");
        String[] values = lines.get(i + 1).split(" ");
        if (names[0].equals("Tcp:") || names[0].equals("TcpExt:")) {
          for (int k = 1; k < names.length; k++) {
            out.put(names[k].toLowerCase(Locale.ROOT), Long.parseLong(values[k]));
          }
        }
      }
    }
    return out;
  }

  /** "N0=12 N1=3" of the {@code key=} line of memory.numa_stat: node 0's pages. */
  private static long numaNode0(String id, String key) throws Exception {
    for (String line : Files.readAllLines(CGROUP.resolve("memory/docker").resolve(id).resolve("memory.numa_stat"))) {
      if (line.startsWith(key + "=")) {
        for (String f : line.split(" ")) {
          if (f.startsWith("N0=")) {
            return Long.parseLong(f.substring(3));
          }
        }
      }
    }
    throw new AssertionError("no " + key + " in memory.numa_stat");
  }

  @Test
  void cgroupSourceServesTheKernelsSchedstatNumaPagesTcpCountersAndReferencedBytesThenClearsThem(DockerDaemon engine)
      throws Exception {
    String groups = "--container.enable-metrics=sched,referenced_memory,memory_numa,advtcp";
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", groups)) {
      Exposition e = Scrape.until(x.port, WAIT, "the holder's 16 MiB and the talker's TCP counters", ex ->
          sum(ex, "container_referenced_bytes", named("holder")) >= 16 * MIB
              && sum(ex, "container_network_advance_tcp_stats_total", Map.of("name", "talker", "tcp_state", "activeopens")) >= 1);

      // sched: sh waiting for sleep, both asleep: the kernel's figures do not move.
      long[] kernel = schedstat(holder);
      assertEquals(kernel[0] / 1e9, sum(e, "container_cpu_schedstat_run_seconds_total", named("holder")));
      assertEquals(kernel[1] / 1e9, sum(e, "container_cpu_schedstat_runqueue_seconds_total", named("holder")));
      assertEquals(kernel[2], sum(e, "container_cpu_schedstat_run_periods_total", named("holder")));
      assertTrue(kernel[0] > 0 && kernel[2] > 0, "schedstat is kept on this kernel");

      // referenced: the 16 MiB the shell wrote, as the kernel reports it in smaps.
      long kernelReferenced = referenced(holder);
      assertTrue(kernelReferenced >= 16 * MIB, kernelReferenced + " bytes");
      double served = sum(e, "container_referenced_bytes", named("holder"));
      assertTrue(Math.abs(served - kernelReferenced) < MIB, served + " served, " + kernelReferenced + " in smaps");

      // memory_numa: the memory cgroup's numa_stat, one node on this machine.
      assertEquals(numaNode0(holder, "anon"), sum(e, "container_memory_numa_pages",
          Map.of("name", "holder", "type", "anon", "scope", "container", "node", "0")));
      assertEquals(numaNode0(holder, "hierarchical_anon"), sum(e, "container_memory_numa_pages",
          Map.of("name", "holder", "type", "anon", "scope", "hierarchy", "node", "0")));
      assertTrue(numaNode0(holder, "anon") * 4096 >= 15 * MIB, "the variable is anonymous memory");
      assertEquals(6, Scrape.samples(e, "container_memory_numa_pages", named("holder")).size(),
          "file, anon, unevictable by container and hierarchy, node 0; no total");

      // advtcp: the talker's own network namespace (its lo), not the host's.
      long pid = Long.parseLong(engine.docker("inspect", "--format", "{{.State.Pid}}", talker));
      Map<String, Long> tcp = tcpCounters(pid);
      for (String state : List.of("activeopens", "passiveopens", "currestab", "rtomin", "maxconn")) {
        assertEquals((double) tcp.get(state), sum(e, "container_network_advance_tcp_stats_total",
            Map.of("name", "talker", "tcp_state", state)), state);
      }
      assertEquals(1, tcp.get("activeopens"), "wget's one connection in the container's namespace");
      assertEquals(99, Scrape.samples(e, "container_network_advance_tcp_stats_total", named("talker")).size());
      assertTrue(tcpCounters(1).get("activeopens") > 1, "the host's namespace counts more");
      assertTrue(Double.isNaN(sum(e, "container_cpu_usage_seconds_total", Map.of())), "only the groups asked for");
    }

    // The reset: with cAdvisor's --referenced_reset_interval=1 every reading clears the referenced
    // bits, so the next reading (and the kernel's smaps) shows only the pages used since: not the 16 MiB.
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", groups, "--container.referenced-reset-interval=1")) {
      Scrape.until(x.port, WAIT, "the holder's referenced bytes after a reset", ex ->
          sum(ex, "container_referenced_bytes", named("holder")) < 4 * MIB);
    }
    long after = referenced(holder);
    assertTrue(after < 4 * MIB, "the kernel's smaps after clear_refs: " + after + " bytes referenced");
  }

  private static long kills(Path oomControl) throws Exception {
    return Files.readAllLines(oomControl).stream().filter(l -> l.startsWith("oom_kill ")).mapToLong(
        l -> Long.parseLong(l.split(" ")[1])).sum();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).replace('\n', ' ');
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void dockerSourceCountsTheEnginesOomEventsOfAChildKilledInARunningContainer(DockerDaemon engine) throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=docker",
        "--housekeeping.interval=1s", "--housekeeping.fs-interval=0",
        "--container.enable-metrics=oom_event,sched,referenced_memory,memory_numa,advtcp")) {
      Scrape.until(x.port, WAIT, "the holder listed", ex -> sum(ex, "container_oom_events_total", named("holder")) == 0);
      // tail buffers /dev/zero under a 32 MiB limit and is OOM-killed (it asks to be the victim);
      // sh and sleep keep the container up.
      String id = engine.runContainer("--name", "late-oom", "-m", "32m", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
          "sleep 1; sh -c 'echo 1000 > /proc/self/oom_score_adj; exec tail /dev/zero'; sleep 3600");
      Path oomControl = CGROUP.resolve("memory/docker").resolve(id).resolve("memory.oom_control");
      // The kernel's kill, then the engine's own oom events for the container: what the exporter must
      // count. The engine does not always send one (containerd watches the cgroup's OOM notification;
      // on this loaded machine some runs got none for a kill), so the test takes the engine's list
      // as the truth: every event counted, none invented.
      long end = System.nanoTime() + WAIT.toNanos();
      while (kills(oomControl) < 1 && System.nanoTime() < end) {
        Thread.sleep(200);
      }
      assertEquals(1, kills(oomControl), "the kernel's count: " + read(oomControl));
      long engineEvents = 0;
      long eventsEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (engineEvents == 0 && System.nanoTime() < eventsEnd) {
        Thread.sleep(500);
        engineEvents = engine.docker("events", "--since", "1", "--until", "0s", "--filter", "event=oom", "--filter",
            "container=" + id, "--format", "{{.Action}}").lines().filter(l -> l.equals("oom")).count();
      }
      long expected = engineEvents;
      Exposition e = Scrape.until(x.port, WAIT, expected + " oom events of late-oom, as the engine lists them",
          ex -> sum(ex, "container_oom_events_total", named("late-oom")) == expected);
      if (expected == 0) {
        System.err.println("RealDockerOptInGroupsTest: the engine sent no oom event for a kernel OOM kill; "
            + "the exporter served 0, as it must");
      }
      assertEquals("true", engine.docker("inspect", "--format", "{{.State.Running}}", id), "the container lives on");
      assertEquals(0, sum(e, "container_oom_events_total", named("holder")));
      for (String family : List.of("container_cpu_schedstat_run_seconds_total", "container_referenced_bytes",
          "container_memory_numa_pages", "container_network_advance_tcp_stats_total")) {
        assertTrue(Double.isNaN(sum(e, family, Map.of())), family + ": the stats API has no such data");
      }
    }
  }
}
