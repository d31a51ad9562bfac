package io.promsuite.exporter.container;

import static io.promsuite.exporter.container.testing.Scrape.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.SharedDockerDaemon;
import io.promsuite.exporter.container.testing.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exporter against a real Docker engine (dockerd started by the test, cgroup v1, cgroupfs
 * driver): its values agree with the container's cgroup files and the engine's own stats API.
 */
@ExtendWith(SharedDockerDaemon.class)
class RealDockerEngineTest {
  private static final Path CGROUP = Path.of("/sys/fs/cgroup");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static String burner;
  private static String hog;
  private static String pinger;

  @BeforeAll
  static void containers(DockerDaemon engine) throws Exception {
    // Burns CPU under a fifth-of-a-CPU quota, so it is throttled even when the machine is busy.
    burner = engine.runContainer("--name", "burner", "--cpus", "0.2", "--label", "com.example.team=core",
        "--label", "app=burn", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c", "yes > /dev/null");
    // 8 MiB of page cache, then ~40 MiB held by tail (it buffers its input, then blocks writing to sleep).
    hog = engine.runContainer("--name", "hog", "-m", "64m", "--label", "com.example.team=data", DockerDaemon.BUSYBOX_IMAGE,
        "sh", "-c", "dd if=/dev/zero of=/tmp/f bs=1048576 count=8 2>/dev/null; "
            + "head -c 41943040 /dev/zero | tail | sleep 3600");
    // Three pings on the loopback interface, then quiet: its lo counters stay put.
    pinger = engine.runContainer("--name", "pinger", DockerDaemon.BUSYBOX_IMAGE, "sh", "-c",
        "ping -c 3 127.0.0.1 > /dev/null; sleep 3600");
  }

  @AfterAll
  static void removeContainers(DockerDaemon engine) throws Exception {
    engine.tryDocker("rm", "-f", "burner", "hog", "pinger");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The engine's own stats for a container: the API the docker source reads, compared with the exporter. */
  private static JsonNode stats(DockerDaemon engine, String id) throws Exception {
    return JSON.readTree(engine.api("/containers/" + id + "/stats?stream=false&one-shot=true"));
  }

  private static JsonNode inspect(DockerDaemon engine, String id) throws Exception {
    return JSON.readTree(engine.docker("inspect", id)).get(0);
  }

  private static Map<String, String> named(String name) {
    return Map.of("name", name);
  }

  private static boolean settled(Exposition e) {
    return sum(e, "container_memory_rss", named("hog")) >= 40 * 1024 * 1024
        && sum(e, "container_fs_usage_bytes", named("hog")) >= 8 * 1024 * 1024
        && sum(e, "container_cpu_usage_seconds_total", named("burner")) > 0.3
        && sum(e, "container_network_receive_packets_total", Map.of("name", "pinger", "interface", "lo")) >= 6;
  }

  private static long file(String controller, String id, String name) throws Exception {
    return Long.parseLong(Files.readString(CGROUP.resolve(controller).resolve("docker").resolve(id).resolve(name)).trim());
  }

  private static long memoryStat(String id, String key) throws Exception {
    for (String line : Files.readAllLines(CGROUP.resolve("memory/docker").resolve(id).resolve("memory.stat"))) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1));
      }
    }
    throw new AssertionError("no " + key + " in memory.stat");
  }

  @Test
  void cgroupSourceAgreesWithTheContainersCgroupFiles(DockerDaemon engine) throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", "--container.label-allowlist=com.example.team", "--network.ignored-interfaces=^$",
        "--housekeeping.fs-interval=1s", "--container.disable-metrics=")) {
      Exposition e = Scrape.until(x.port, WAIT, "hog, burner and pinger readings", RealDockerEngineTest::settled);
      long cpuFile = file("cpuacct", burner, "cpuacct.usage");
      long usageFile = file("memory", hog, "memory.usage_in_bytes");
      long inactiveFile = memoryStat(hog, "total_inactive_file");

      // Labels as cAdvisor has them: id is the cgroup path, allow-listed labels only.
      List<Exposition.Sample> burnerUser = Scrape.samples(e, "container_cpu_user_seconds_total", named("burner"));
      assertEquals(1, burnerUser.size());
      assertEquals(Map.of("id", "/docker/" + burner, "image", DockerDaemon.BUSYBOX_IMAGE, "name", "burner",
          "container_label_com_example_team", "core"), burnerUser.getFirst().labels());
      assertEquals("cgroup v1", Scrape.samples(e, "container_exporter_source_info", Map.of()).getFirst().labels().get("source"));

      // CPU: the reading is at most a few housekeeping intervals older than the file read after it
      // (equal when the burner is idle between the two reads, to the last bit of the ns -> s division).
      double cpu = sum(e, "container_cpu_usage_seconds_total", named("burner"));
      assertTrue(cpu <= cpuFile / 1e9 + 1e-9 && cpuFile / 1e9 - cpu < 3.0, "scraped " + cpu + " s, cpuacct.usage " + cpuFile / 1e9);
      double userSys = sum(e, "container_cpu_user_seconds_total", named("burner"))
          + sum(e, "container_cpu_system_seconds_total", named("burner"));
      assertEquals(cpu, userSys, 0.5, "user + system ticks add up to the total");
      assertEquals(0.02, sum(e, "container_spec_cpu_quota", named("burner")) / 1e6, 1e-9, "--cpus 0.2 = 20000 us per 100000 us");
      assertEquals(100_000, sum(e, "container_spec_cpu_period", named("burner")));
      assertTrue(sum(e, "container_cpu_cfs_throttled_periods_total", named("burner")) > 0, "a fifth-of-a-CPU quota throttles yes");

      // Memory of the hog: ~40 MiB RSS held, 8 MiB of page cache written first.
      double usage = sum(e, "container_memory_usage_bytes", named("hog"));
      assertEquals(usageFile, usage, usageFile * 0.05, "memory.usage_in_bytes");
      double workingSet = sum(e, "container_memory_working_set_bytes", named("hog"));
      assertEquals(usageFile - inactiveFile, workingSet, usageFile * 0.05, "usage - total_inactive_file");
      assertTrue(workingSet <= usage);
      assertEquals(memoryStat(hog, "total_rss"), sum(e, "container_memory_rss", named("hog")), 2 * 1024 * 1024);
      assertEquals(64 * 1024 * 1024, sum(e, "container_spec_memory_limit_bytes", named("hog")));
      assertEquals(0, sum(e, "container_spec_memory_limit_bytes", named("burner")), "no limit is 0 as in cAdvisor");
      assertEquals(file("pids", hog, "pids.current"), sum(e, "container_threads", named("hog")));

      // Network: lo inside the pinger, exactly what its /proc/PID/net/dev says (it is quiet now).
      long pid = inspect(engine, pinger).path("State").path("Pid").asLong();
      String lo = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net/dev")).stream()
          .filter(l -> l.trim().startsWith("lo:")).findFirst().orElseThrow();
      String[] f = lo.substring(lo.indexOf(':') + 1).trim().split("\\s+");
      Map<String, String> piLo = Map.of("name", "pinger", "interface", "lo");
      assertEquals(Double.parseDouble(f[0]), sum(e, "container_network_receive_bytes_total", piLo));
      assertEquals(Double.parseDouble(f[1]), sum(e, "container_network_receive_packets_total", piLo));
      assertEquals(Double.parseDouble(f[9]), sum(e, "container_network_transmit_packets_total", piLo));
      assertEquals(1.0, sum(e, "container_tasks_state", Map.of("name", "burner", "state", "running"))
          + sum(e, "container_tasks_state", Map.of("name", "burner", "state", "sleeping")), "one task: yes (sh exec'd it)");

      // Writable layer: the 8 MiB dd wrote, as the engine's inspect --size counts it.
      long sizeRw = Long.parseLong(engine.docker("inspect", "--size", "--format", "{{.SizeRw}}", hog));
      assertEquals(sizeRw, sum(e, "container_fs_usage_bytes", named("hog")));
      assertTrue(!Scrape.samples(e, "container_fs_usage_bytes", named("hog")).getFirst().labels().get("device").isEmpty(),
          "device: the filesystem of the daemon's data directory");

      // Times.
      double started = Instant.parse(inspect(engine, hog).path("State").path("StartedAt").asText()).toEpochMilli() / 1000.0;
      assertEquals(started, sum(e, "container_start_time_seconds", named("hog")), 0.001);
      assertEquals(System.currentTimeMillis() / 1000.0, sum(e, "container_last_seen", named("hog")), 30);
      assertEquals(1, sum(e, "container_exporter_docker_up", Map.of()));
      assertEquals(0, sum(e, "container_scrape_error", Map.of()));
    }
  }

  @Test
  void dockerSourceAgreesWithTheEnginesOwnStats(DockerDaemon engine) throws Exception {
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=docker",
        "--housekeeping.interval=1s", "--network.ignored-interfaces=^$", "--container.disable-metrics=")) {
      Exposition e = Scrape.until(x.port, WAIT, "hog, burner and pinger readings from the stats API",
          ex -> sum(ex, "container_memory_rss", named("hog")) >= 40 * 1024 * 1024
              && sum(ex, "container_cpu_usage_seconds_total", named("burner")) > 0.3);
      JsonNode hogStats = stats(engine, hog);
      JsonNode burnerStats = stats(engine, burner);

      assertEquals("docker", Scrape.samples(e, "container_exporter_source_info", Map.of()).getFirst().labels().get("source"));
      double usage = sum(e, "container_memory_usage_bytes", named("hog"));
      long engineUsage = hogStats.path("memory_stats").path("usage").asLong();
      assertEquals(engineUsage, usage, engineUsage * 0.05);
      long engineWorkingSet = engineUsage - hogStats.path("memory_stats").path("stats").path("total_inactive_file").asLong();
      assertEquals(engineWorkingSet, sum(e, "container_memory_working_set_bytes", named("hog")), engineUsage * 0.05,
          "docker stats' MEM USAGE (usage - total_inactive_file)");
      assertEquals(hogStats.path("memory_stats").path("stats").path("total_rss").asDouble(),
          sum(e, "container_memory_rss", named("hog")), 2 * 1024 * 1024);
      assertEquals(hogStats.path("pids_stats").path("current").asDouble(), sum(e, "container_threads", named("hog")));

      double engineCpu = burnerStats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong() / 1e9;
      double cpu = sum(e, "container_cpu_usage_seconds_total", named("burner"));
      assertTrue(cpu <= engineCpu && engineCpu - cpu < 5.0, "scraped " + cpu + " s, engine " + engineCpu + " s");
      long busyCpus = 0;
      for (JsonNode n : burnerStats.path("cpu_stats").path("cpu_usage").path("percpu_usage")) {
        busyCpus += n.asLong() > 0 ? 1 : 0;
      }
      assertEquals(busyCpus, Scrape.samples(e, "container_cpu_usage_seconds_total", named("burner")).size(),
          "one cpuNN series per CPU the engine reports usage on");
      double throttled = sum(e, "container_cpu_cfs_throttled_periods_total", named("burner"));
      assertTrue(throttled > 0 && throttled <= burnerStats.path("cpu_stats").path("throttling_data")
          .path("throttled_periods").asDouble(), "throttled periods " + throttled);
      // No container_label_* without an allow-list.
      assertTrue(e.samples.stream().noneMatch(s -> s.labels().keySet().stream().anyMatch(k -> k.startsWith("container_label_"))));
    }
  }

  @Test
  void containersThatStopOrAreRemovedDisappearAndNewOnesAppearThroughEvents(DockerDaemon engine) throws Exception {
    engine.runContainer("--name", "stopper", DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
    engine.runContainer("--name", "remover", DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
    // A resync interval of 10 minutes: only Docker events can change the list within the test.
    try (ExporterProcess x = new ExporterProcess("--docker.host=" + engine.dockerHost(), "--source=cgroup",
        "--housekeeping.interval=500ms", "--docker.resync-interval=10m")) {
      Scrape.until(x.port, WAIT, "stopper and remover listed", ex ->
          !Double.isNaN(sum(ex, "container_last_seen", named("stopper")))
              && !Double.isNaN(sum(ex, "container_last_seen", named("remover"))));
      engine.runContainer("--name", "newcomer", DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
      engine.docker("stop", "-t", "0", "stopper");
      engine.docker("rm", "-f", "remover");
      Exposition e = Scrape.until(x.port, WAIT, "stopper and remover gone, newcomer listed", ex ->
          Double.isNaN(sum(ex, "container_last_seen", named("stopper")))
              && Double.isNaN(sum(ex, "container_last_seen", named("remover")))
              && !Double.isNaN(sum(ex, "container_memory_usage_bytes", named("newcomer"))));
      assertTrue(e.samples.stream().noneMatch(s -> "stopper".equals(s.labels().get("name"))
          || "remover".equals(s.labels().get("name"))), "no series of either is left");
      assertTrue(sum(e, "container_memory_usage_bytes", named("burner")) > 0, "the others are still reported");
    } finally {
      engine.tryDocker("rm", "-f", "stopper", "remover", "newcomer");
    }
  }
}
