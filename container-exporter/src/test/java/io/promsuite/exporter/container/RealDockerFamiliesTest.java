package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.SharedDockerDaemon;
import io.promsuite.exporter.container.source.HostFiles;
import io.promsuite.exporter.container.testing.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cAdvisor's whole default family set against the real engine on this machine (cgroup v1): a
 * writer doing direct I/O under a blkio throttle (this kernel counts v1 blkio only for
 * devices with a throttle limit), a container whose child is OOM-killed while it keeps running, with
 * a memory reservation and a swap limit, a passing and a failing health check, and a server
 * listening on TCP and UDP inside its own network namespace. Values are compared with the cgroup
 * files, /proc and the engine's own API.
 */
@ExtendWith(SharedDockerDaemon.class)
class RealDockerFamiliesTest {
  private static final Path CGROUP = Path.of("/sys/fs/cgroup");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String disk;
  private static String writer;
  private static String oomer;
  private static String server;
  private static Path dataRoot;

  @BeforeAll
  static void containers(DockerDaemon engine) throws Exception {
    JsonNode info = JSON.readTree(engine.api("/info"));
    dataRoot = Path.of(info.path("DockerRootDir").asText());
    disk = blockDevice(dataRoot);
    List<String> writerArgs = new java.util.ArrayList<>(List.of("--name", "writer", "--cpus", "0.5"));
    if (disk != null) {
      writerArgs.addAll(List.of("--device-read-bps", disk + ":1gb", "--device-write-bps", disk + ":1gb"));
    }
    // 1 MiB and 4 MiB written with O_DIRECT, then the first 1 MiB read back with O_DIRECT: charged to
    // the container whatever else the machine writes (v1 has no cgroup writeback: buffered pages the
    // kernel's flusher writes first are charged to the root, which made fsync'd writes flaky here).
    writerArgs.addAll(List.of(DockerDaemon.BUSYBOX_IMAGE, "sh", "-c", "dd if=/dev/zero of=/tmp/d bs=4096 count=256 "
        + "oflag=direct 2>/dev/null; dd if=/dev/zero of=/tmp/s bs=65536 count=64 oflag=direct 2>/dev/null; "
        + "dd if=/tmp/d of=/dev/null bs=4096 iflag=direct 2>/dev/null; touch /tmp/done; sleep 3600"));
    writer = engine.runContainer(writerArgs.toArray(String[]::new));
    // tail buffers /dev/zero (no line ends) under a 32 MiB limit and is OOM-killed; sh and sleep keep
    // the container up. tail asks to be the OOM killer's first choice, and the container has no
    // health check: an exec'd check (runc init joining the cgroup at its limit) could be killed, or
    // make the kernel pick the shell.
    oomer = engine.runContainer("--name", "oomer", "-m", "32m", "--memory-reservation", "16m", "--memory-swap", "64m",
        DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
        "sleep 1; sh -c 'echo 1000 > /proc/self/oom_score_adj; exec tail /dev/zero'; sleep 3600");
    engine.runContainer("--name", "healthy", "--health-cmd", "true", "--health-interval", "1s",
        DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
    engine.runContainer("--name", "sick", "--health-cmd", "false", "--health-interval", "1s", "--health-retries", "1",
        DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
    // Two TCP listeners (busybox binds them to ::) and a UDP socket (syslogd forwarding to a remote
    // that is not there; its first message opens the socket); busybox has no UDP server.
    server = engine.runContainer("--name", "server", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
        "httpd -f -p 8080 & nc -ll -p 9090 -e cat & syslogd -n -O /dev/null -R 127.0.0.1:514 & sleep 1; logger hello; "
            + "sleep 3600");
    // The OOM kill happened and the container lives on; say what went wrong here if not.
    Path oomControl = CGROUP.resolve("memory/docker").resolve(oomer).resolve("memory.oom_control");
    try {
      Poll.until(Duration.ofSeconds(30), "an OOM kill in " + oomControl, () -> keyed(oomControl).get("oom_kill"), n -> n >= 1);
    } catch (AssertionError notYet) {
      throw new AssertionError(notYet.getMessage() + "; oomer's log: " + engine.tryDocker("logs", oomer), notYet);
    }
    String state = engine.docker("inspect", "--format", "{{.State.Running}} {{.State.OOMKilled}} {{.State.ExitCode}}", oomer);
    assertTrue(state.startsWith("true") && keyed(oomControl).get("oom_kill") == 1,
        "oomer: a child OOM-killed inside a running container; state " + state + ", log: " + engine.tryDocker("logs", oomer));
  }

  @AfterAll
  static void removeContainers(DockerDaemon engine) {
    engine.tryDocker("rm", "-f", "writer", "oomer", "healthy", "sick", "server");
  }

  /** The whole disk under {@code dir} (/dev/vda here), or null when it is on no block device (tmpfs, overlay). */
  private static String blockDevice(Path dir) throws Exception {
    long dev = (Long) Files.getAttribute(dir, "unix:dev");
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    Path sys = Path.of("/sys/dev/block/" + major + ":" + minor);
    if (major == 0 || !Files.exists(sys)) {
      return null;
    }
    Path real = sys.toRealPath();
    Path whole = Files.exists(real.resolve("partition")) ? real.getParent() : real;
    return "/dev/" + whole.getFileName();
  }

  private static Map<String, String> named(String name) {
    return Map.of("name", name);
  }

  private static Map<String, String> on(String name, String device) {
    return Map.of("name", name, "device", device);
  }

  /** "254:0 Write 5263360" lines of a v1 blkio file: the value for {@code majorMinor} and {@code op}. */
  private static long blkio(String id, String file, String majorMinor, String op) throws Exception {
    for (String line : Files.readAllLines(CGROUP.resolve("blkio/docker").resolve(id).resolve(file))) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals(majorMinor) && f[1].equals(op)) {
        return Long.parseLong(f[2]);
      }
    }
    throw new AssertionError("no " + majorMinor + " " + op + " in " + file);
  }

  private static Map<String, Long> keyed(Path file) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split(" ");
      out.put(f[0], Long.parseLong(f[1]));
    }
    return out;
  }

  private static String majorMinor(String device) throws Exception {
    return Files.readString(Path.of("/sys/class/block", Path.of(device).getFileName().toString(), "dev")).trim();
  }

  /** The families served, the exporter's own process_* self metrics (every exporter has them) aside. */
  private static Set<String> families(Exposition e) {
    Set<String> out = new TreeSet<>();
    e.samples.forEach(s -> out.add(s.name()));
    out.removeIf(name -> name.startsWith("process_"));
    return out;
  }

  private static boolean writerDone(Exposition e) {
    return sum(e, "container_fs_usage_bytes", named("writer")) >= 5 * 1024 * 1024
        && sum(e, "container_oom_events_total", named("oomer")) >= 1
        && sum(e, "container_health_state", named("healthy")) == 1
        && sum(e, "container_health_state", named("sick")) == 0
        && (disk == null || sum(e, "container_fs_writes_bytes_total", on("writer", disk)) >= 5 * 1024 * 1024);
  }

  @Test
  void cgroupSourceServesCadvisorsDefaultFamiliesWithTheCgroupFilesValues(DockerDaemon engine) throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", "--housekeeping.fs-interval=1s", "--network.ignored-interfaces=^$")) {
      Exposition e = Scrape.until(x.port, WAIT, "the writer's I/O, the OOM kill and both health states",
          RealDockerFamiliesTest::writerDone);

      // The family set: cAdvisor's defaults for Docker on cgroup v1 (only lo: the containers have no
      // other interface with --network none; no v2-only memory or PSI families on v1).
      Set<String> expected = new TreeSet<>(List.of("container_scrape_error", "container_last_seen",
          "container_health_state", "container_start_time_seconds", "container_spec_cpu_period",
          "container_spec_cpu_quota", "container_spec_cpu_shares", "container_spec_memory_limit_bytes",
          "container_spec_memory_reservation_limit_bytes", "container_spec_memory_swap_limit_bytes",
          "container_cpu_user_seconds_total", "container_cpu_system_seconds_total", "container_cpu_usage_seconds_total",
          "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total",
          "container_cpu_cfs_throttled_seconds_total", "container_cpu_cfs_burst_periods_total",
          "container_cpu_cfs_burst_seconds_total", "container_cpu_load_average_10s", "container_tasks_state",
          "container_memory_cache", "container_memory_rss", "container_memory_mapped_file", "container_memory_swap",
          "container_memory_failcnt", "container_memory_usage_bytes", "container_memory_max_usage_bytes",
          "container_memory_working_set_bytes", "container_memory_total_active_file_bytes",
          "container_memory_total_inactive_file_bytes", "container_memory_failures_total", "container_oom_events_total",
          "container_fs_inodes_free", "container_fs_inodes_total", "container_fs_limit_bytes", "container_fs_usage_bytes",
          "container_fs_reads_total", "container_fs_sector_reads_total", "container_fs_reads_merged_total",
          "container_fs_read_seconds_total", "container_fs_writes_total", "container_fs_sector_writes_total",
          "container_fs_writes_merged_total", "container_fs_write_seconds_total", "container_fs_io_current",
          "container_fs_io_time_seconds_total", "container_fs_io_time_weighted_seconds_total",
          "container_network_receive_bytes_total", "container_network_receive_packets_total",
          "container_network_receive_packets_dropped_total", "container_network_receive_errors_total",
          "container_network_transmit_bytes_total", "container_network_transmit_packets_total",
          "container_network_transmit_packets_dropped_total", "container_network_transmit_errors_total",
          "machine_cpu_cores", "machine_memory_bytes", "cadvisor_version_info"));
      if (disk != null) {
        expected.addAll(List.of("container_fs_reads_bytes_total", "container_fs_writes_bytes_total",
            "container_blkio_device_usage_total"));
      }
      Set<String> served = families(e);
      served.removeIf(n -> n.startsWith("container_exporter_") || n.startsWith("container_scrape_collector_"));
      assertEquals(expected, served);

      // diskIO: the writer's own throttle counters, exactly as the files have them.
      if (disk != null) {
        String mm = majorMinor(disk);
        String file = "blkio.throttle.io_service_bytes_recursive";
        assertEquals(blkio(writer, file, mm, "Write"), sum(e, "container_fs_writes_bytes_total", on("writer", disk)));
        assertEquals(blkio(writer, file, mm, "Read"), sum(e, "container_fs_reads_bytes_total", on("writer", disk)));
        assertTrue(sum(e, "container_fs_reads_bytes_total", on("writer", disk)) >= 1024 * 1024, "1 MiB read back directly");
        String ios = "blkio.throttle.io_serviced_recursive";
        assertEquals(blkio(writer, ios, mm, "Write"), sum(e, "container_fs_writes_total", on("writer", disk)));
        assertEquals(blkio(writer, ios, mm, "Read"), sum(e, "container_fs_reads_total", on("writer", disk)));
        assertEquals(blkio(writer, file, mm, "Sync"), sum(e, "container_blkio_device_usage_total",
            Map.of("name", "writer", "device", disk, "major", mm.split(":")[0], "minor", mm.split(":")[1],
                "operation", "Sync")));
        // The other tables libcontainer reads (cfq/bfq debug) do not exist here: those families carry
        // the whole device's /proc/diskstats counters, as cAdvisor adds for the layers' filesystem.
        HostFiles.DiskStats d = new HostFiles(Path.of("/proc"), Path.of("/sys"), HostFiles.Options.DEFAULT)
            .diskStats(majorMinor(disk));
        double weighted = sum(e, "container_fs_io_time_weighted_seconds_total", on("writer", disk));
        assertTrue(weighted > 0 && weighted <= d.weightedIoMillis() / 1000.0, weighted + " s, diskstats " + d);
        assertEquals(weighted, sum(e, "container_fs_io_time_weighted_seconds_total", on("oomer", disk)),
            "one device, one value for every container");
        assertTrue(sum(e, "container_fs_sector_writes_total", on("writer", disk)) <= d.sectorsWritten());
        assertTrue(sum(e, "container_fs_reads_total", on("oomer", disk)) <= d.reads(),
            "the oomer did no I/O of its own: the device's reads");
      }

      // disk: the layer's bytes (daemon), inodes (walk of its upper dir) and the filesystem's size.
      String device = Scrape.samples(e, "container_fs_usage_bytes", named("writer")).getFirst().labels().get("device");
      assertEquals(Files.getFileStore(dataRoot).getTotalSpace(), sum(e, "container_fs_limit_bytes", on("writer", device)));
      String mountId = Files.readString(dataRoot.resolve("image/overlay2/layerdb/mounts").resolve(writer)
          .resolve("mount-id")).trim();
      long inodes;
      try (Stream<Path> walk = Files.walk(dataRoot.resolve("overlay2").resolve(mountId).resolve("diff"))) {
        inodes = walk.count();
      }
      assertTrue(inodes >= 4, "diff, tmp, d, s, done");
      assertEquals(inodes, sum(e, "container_fs_inodes_total", on("writer", device)));
      assertEquals(0, sum(e, "container_fs_inodes_free", on("writer", device)), "never set by cAdvisor's Docker handler");

      // memory: failcnt a counter present at 0, failures from memory.stat's pgfault/pgmajfault.
      Path writerMem = CGROUP.resolve("memory/docker").resolve(writer);
      Map<String, Long> stat = keyed(writerMem.resolve("memory.stat"));
      assertEquals(0, sum(e, "container_memory_failcnt", named("writer")));
      assertEquals((double) stat.get("pgfault"), sum(e, "container_memory_failures_total",
          Map.of("name", "writer", "failure_type", "pgfault", "scope", "container")));
      assertEquals((double) stat.get("pgmajfault"), sum(e, "container_memory_failures_total",
          Map.of("name", "writer", "failure_type", "pgmajfault", "scope", "hierarchy")));
      assertEquals((double) stat.get("total_mapped_file"), sum(e, "container_memory_mapped_file", named("writer")));

      // The OOM kill: counted, and the limit was hit (failcnt), while the container still runs.
      Path oomMem = CGROUP.resolve("memory/docker").resolve(oomer);
      assertEquals((double) keyed(oomMem.resolve("memory.oom_control")).get("oom_kill"),
          sum(e, "container_oom_events_total", named("oomer")));
      assertEquals(1, sum(e, "container_oom_events_total", named("oomer")));
      assertEquals(0, sum(e, "container_oom_events_total", named("writer")));
      assertTrue(sum(e, "container_memory_failcnt", named("oomer")) > 0);
      assertEquals(32 * 1024 * 1024, sum(e, "container_spec_memory_limit_bytes", named("oomer")));
      assertEquals(16 * 1024 * 1024, sum(e, "container_spec_memory_reservation_limit_bytes", named("oomer")));
      assertEquals(64 * 1024 * 1024, sum(e, "container_spec_memory_swap_limit_bytes", named("oomer")),
          "memory.memsw.limit_in_bytes: memory + swap");
      assertEquals(0, sum(e, "container_spec_memory_reservation_limit_bytes", named("writer")), "unlimited is 0");

      // Health: 1 healthy, 0 unhealthy, -1 without a check.
      assertEquals(-1, sum(e, "container_health_state", named("server")));
      // CPU quota of the writer (--cpus 0.5): the CFS families, bursts included (0 without cpu.cfs_burst_us).
      assertEquals(50_000, sum(e, "container_spec_cpu_quota", named("writer")));
      assertTrue(sum(e, "container_cpu_cfs_periods_total", named("writer")) > 0);
      assertEquals(0, sum(e, "container_cpu_cfs_burst_periods_total", named("writer")));
      // Load: thousandths of the smoothed running-task count, like cAdvisor's; a sleeping container has 0.
      assertEquals(0, sum(e, "container_cpu_load_average_10s", named("server")));

      // Machine and version.
      long cpus = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
      assertEquals(cpus, sum(e, "machine_cpu_cores", Map.of()));
      Map<String, String> version = Scrape.samples(e, "cadvisor_version_info", Map.of()).getFirst().labels();
      assertEquals(JSON.readTree(engine.api("/info")).path("ServerVersion").asText(), version.get("dockerVersion"));
      assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), version.get("kernelVersion"));
    }
  }

  @Test
  void dockerSourceServesTheSameFamiliesFromTheEnginesStats(DockerDaemon engine) throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=docker",
        "--housekeeping.interval=1s", "--housekeeping.fs-interval=1s")) {
      Exposition e = Scrape.until(x.port, WAIT, "the writer's I/O, both health states", ex -> writerDone(ex)
          || disk != null && sum(ex, "container_fs_writes_bytes_total", on("writer", disk)) >= 5 * 1024 * 1024
          && sum(ex, "container_health_state", named("healthy")) == 1);
      JsonNode stats = JSON.readTree(engine.api("/containers/" + writer + "/stats?stream=false&one-shot=true"));
      assertEquals(0, sum(e, "container_memory_failcnt", named("writer")),
          "the engine leaves a zero failcnt out; the counter is still there");
      assertTrue(sum(e, "container_memory_failcnt", named("oomer")) > 0);
      assertEquals(16 * 1024 * 1024, sum(e, "container_spec_memory_reservation_limit_bytes", named("oomer")));
      assertEquals(64 * 1024 * 1024, sum(e, "container_spec_memory_swap_limit_bytes", named("oomer")));
      assertEquals(stats.path("memory_stats").path("stats").path("pgfault").asDouble(),
          sum(e, "container_memory_failures_total", Map.of("name", "writer", "failure_type", "pgfault", "scope", "container")));
      assertEquals(1, sum(e, "container_health_state", named("healthy")));
      assertEquals(0, sum(e, "container_health_state", named("sick")));
      assertEquals(-1, sum(e, "container_health_state", named("oomer")));
      if (disk != null) {
        String mm = majorMinor(disk);
        long engineWrites = 0;
        long engineWriteIos = 0;
        for (JsonNode n : stats.path("blkio_stats").path("io_service_bytes_recursive")) {
          if ((n.path("major").asText() + ":" + n.path("minor").asText()).equals(mm) && n.path("op").asText().equals("Write")) {
            engineWrites = n.path("value").asLong();
          }
        }
        for (JsonNode n : stats.path("blkio_stats").path("io_serviced_recursive")) {
          if ((n.path("major").asText() + ":" + n.path("minor").asText()).equals(mm) && n.path("op").asText().equals("Write")) {
            engineWriteIos = n.path("value").asLong();
          }
        }
        assertEquals(engineWrites, sum(e, "container_fs_writes_bytes_total", on("writer", disk)));
        assertEquals(engineWriteIos, sum(e, "container_fs_writes_total", on("writer", disk)));
      }
      // The stats API has no OOM count: the engine's oom events are counted instead. The oomer's kill
      // happened before this exporter started; the daemon replays what it still holds of its last
      // 256 events (the health checks here fill them within a minute), so it shows them or 0. The
      // engine signals each time the cgroup hit OOM, which can be more often than the kernel killed
      // (a full-suite run served 2 for one kill). RealDockerOptInGroupsTest proves a kill while the
      // exporter runs.
      assertEquals(0, sum(e, "container_oom_events_total", named("writer")));
      double oomerEvents = sum(e, "container_oom_events_total", named("oomer"));
      assertTrue(oomerEvents == 0 || oomerEvents >= keyed(CGROUP.resolve("memory/docker").resolve(oomer)
          .resolve("memory.oom_control")).get("oom_kill"), oomerEvents + " OOM events served");
    }
  }

  @Test
  void optInGroupsReadProcessesSocketsAndConnectionsAndEnableMetricsReplacesTheDefaults(DockerDaemon engine)
      throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", "--container.enable-metrics=process,tcp,udp,cpuset")) {
      Exposition e = Scrape.until(x.port, WAIT, "the server's listening sockets", ex ->
          sum(ex, "container_network_tcp6_usage_total", Map.of("name", "server", "tcp_state", "listen")) == 2
              && sum(ex, "container_network_udp_usage_total", Map.of("name", "server", "udp_state", "listen")) == 1
              && sum(ex, "container_sockets", named("server")) == 4
              && sum(ex, "container_health_state", named("healthy")) == 1);
      List<String> procs = Files.readAllLines(CGROUP.resolve("cpu/docker").resolve(server).resolve("cgroup.procs"));
      long fds = 0;
      long sockets = 0;
      for (String pid : procs) {
        try (Stream<Path> list = Files.list(Path.of("/proc", pid, "fd"))) {
          for (Path fd : list.toList()) {
            fds++;
            sockets += Files.readSymbolicLink(fd).toString().startsWith("socket") ? 1 : 0;
          }
        }
      }
      assertEquals(4, procs.size(), "sleep (the shell exec'd it), httpd, nc and syslogd: " + procs);
      assertEquals(procs.size(), sum(e, "container_processes", named("server")));
      assertEquals(fds, sum(e, "container_file_descriptors", named("server")));
      assertEquals(4, sockets, "httpd's and nc's listeners, syslogd's /dev/log and its UDP socket");
      assertEquals(sockets, sum(e, "container_sockets", named("server")));
      assertEquals(0, sum(e, "container_network_tcp_usage_total", Map.of("name", "server", "tcp_state", "listen")),
          "no IPv4 listener");
      assertEquals(1, sum(e, "container_network_udp_usage_total", Map.of("name", "server", "udp_state", "listen")),
          "cAdvisor counts every UDP socket as listen");
      assertEquals(0, sum(e, "container_memory_migrate", named("server")));
      assertEquals(Long.parseLong(Files.readString(CGROUP.resolve("pids/docker").resolve(server).resolve("pids.current"))
          .trim()), sum(e, "container_threads", named("server")));
      assertTrue(Double.isNaN(sum(e, "container_cpu_usage_seconds_total", Map.of())),
          "--container.enable-metrics replaces cAdvisor's defaults, as --enable_metrics does");
      assertTrue(Double.isNaN(sum(e, "container_memory_usage_bytes", Map.of())));
      assertEquals(1, sum(e, "container_health_state", named("healthy")), "health and spec belong to no group");
    }
  }
}
