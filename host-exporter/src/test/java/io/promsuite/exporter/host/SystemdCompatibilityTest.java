package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Command;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.common.testing.SharedDockerDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real systemd 252 (Debian's, the machine's own /usr bind-mounted read-only) running as PID 1 in a
 * container of a private Docker engine, its system bus (dbus-daemon, socket-activated by that
 * systemd) reachable from the host through a bind-mounted /run/dbus. Debian's node_exporter 1.5 and
 * ours are pointed at that bus with {@code DBUS_SYSTEM_BUS_ADDRESS} and must serve the same
 * node_systemd_* families, types, label sets and values. Two units of our own give known states: one
 * service that stays up (active, type simple) and one that fails (failed, oneshot).
 */
@ExtendWith(SharedDockerDaemon.class)
class SystemdCompatibilityTest {
  static final String IMAGE = "promsuite-test/systemd:1";
  /** What node_exporter 1.5 excludes by default upstream; Debian's build adds "target". */
  static final String UPSTREAM_EXCLUDE = ".+\\.(automount|device|mount|scope|slice)";
  static final List<String> ALL_FAMILIES = List.of("--collector.systemd.enable-task-metrics",
      "--collector.systemd.enable-restarts-metrics", "--collector.systemd.enable-start-time-metrics");

  @TempDir
  static Path tmp;
  static String busAddress;

  @BeforeAll
  static void startSystemd(DockerDaemon engine) throws Exception {
    RealParts.require("/usr/lib/systemd/systemd");
    RealParts.require("/usr/bin/dbus-daemon");
    Path rootfs = engine.scratch("systemd-rootfs");
    writeRootfs(rootfs);
    Path tar = engine.scratch("systemd-tar").resolve("rootfs.tar");
    Command.run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")).orFail();
    engine.docker("import", tar.toString(), IMAGE);
    Path dbus = engine.scratch("systemd-dbus");
    // systemd as PID 1 needs to mount and to write its cgroup (v1 here: name=systemd). Every capability
    // but SYS_RESOURCE, which this machine's own bounding set lacks (--privileged asks for it and fails).
    String id = engine.runContainer("--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
        "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined", "-e", "container=docker",
        "-v", "/usr:/usr:ro", "-v", "/sys/fs/cgroup:/sys/fs/cgroup", "--tmpfs", "/run", "--tmpfs", "/tmp",
        "-v", dbus + ":/run/dbus", IMAGE, "/usr/lib/systemd/systemd", "--unit=multi-user.target");
    // Boot is over when the manager says running or (our failing unit) degraded; systemctl fails
    // until systemd's own socket is there.
    Command.Result state = null;
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      state = engine.tryDocker("exec", id, "systemctl", "is-system-running", "--wait");
      if (Set.of("running", "degraded").contains(state.stdout().strip())) {
        break;
      }
      Thread.sleep(200);
    }
    assertTrue(Set.of("running", "degraded").contains(state.stdout().strip()),
        "systemd in the container did not finish booting: " + state.output() + "\n" + engine.docker("logs", id));
    busAddress = "unix:path=" + dbus.resolve("system_bus_socket");
  }

  /** An empty root with the host's /usr to come, the users dbus needs, and our two units wanted by multi-user.target. */
  private static void writeRootfs(Path root) throws IOException {
    for (String d : List.of("usr", "proc", "sys", "dev", "run", "tmp", "var/tmp", "var/log", "root",
        "etc/systemd/system/multi-user.target.wants")) {
      Files.createDirectories(root.resolve(d));
    }
    for (String link : List.of("bin", "lib", "lib64", "sbin")) {
      Files.createSymbolicLink(root.resolve(link), Path.of("usr/" + link));
    }
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
        + "messagebus:x:100:102::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nmessagebus:x:102:\nnogroup:x:65534:\n");
    Files.writeString(root.resolve("etc/machine-id"), "");
    Files.copy(Path.of("/usr/lib/os-release"), root.resolve("etc/os-release"));
    Path units = root.resolve("etc/systemd/system");
    Files.writeString(units.resolve("promsuite-up.service"),
        "[Unit]\nDescription=stays up\n[Service]\nType=simple\nExecStart=/usr/bin/sleep infinity\n");
    Files.writeString(units.resolve("promsuite-broken.service"),
        "[Unit]\nDescription=fails\n[Service]\nType=oneshot\nExecStart=/usr/bin/false\n");
    for (String unit : List.of("promsuite-up.service", "promsuite-broken.service")) {
      Files.createSymbolicLink(units.resolve("multi-user.target.wants").resolve(unit), Path.of("../" + unit));
    }
  }

  /** node_exporter's and our /metrics, both with {@code args}, ours after theirs. */
  private static Exposition[] scrapeBoth(List<String> theirArgs, List<String> ourArgs) throws Exception {
    int port = Ports.free();
    List<String> cmd = new ArrayList<>(List.of(RealParts.require("/usr/bin/prometheus-node-exporter").toString(),
        "--web.listen-address=127.0.0.1:" + port, "--collector.disable-defaults", "--collector.systemd"));
    cmd.addAll(theirArgs);
    List<String> mine = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0", "--collector.disable-defaults",
        "--collector.systemd"));
    mine.addAll(ourArgs);
    Map<String, String> env = Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress);
    try (RealProcess theirs = RealProcess.start(cmd, tmp.resolve("node_exporter-" + port + ".log"), env);
        Exporter.Running ours = HostExporter.builder(env::get).start(mine.toArray(String[]::new))) {
      String url = "http://127.0.0.1:" + port + "/metrics";
      theirs.awaitHttp(url, Duration.ofSeconds(20));
      return new Exposition[] {Exposition.parse(Http.get("http://127.0.0.1:" + ours.port() + "/metrics").body()),
          Exposition.parse(Http.get(url).body())};
    }
  }

  private static Map<String, String> systemdTypes(Exposition e) {
    return e.types.entrySet().stream().filter(t -> t.getKey().startsWith("node_systemd_"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  /** Every node_systemd_* sample by name and labels. */
  private static Map<String, Double> systemdSamples(Exposition e) {
    return e.samples.stream().filter(s -> s.name().startsWith("node_systemd_"))
        .collect(Collectors.toMap(s -> s.name() + new TreeMap<>(s.labels()), Exposition.Sample::value, (a, b) -> a,
            TreeMap::new));
  }

  @Test
  void everyFamilyLabelSetAndValueMatchesNodeExporterOnARealSystemd() throws Exception {
    List<String> theirs = new ArrayList<>(ALL_FAMILIES);
    theirs.add("--collector.systemd.unit-exclude=" + UPSTREAM_EXCLUDE);
    Exposition[] both = scrapeBoth(theirs, ALL_FAMILIES);
    Exposition mine = both[0];
    Map<String, String> collector = Map.of("collector", "systemd");
    assertEquals(1, both[1].value("node_scrape_collector_success", collector), "node_exporter reached systemd");
    assertEquals(1, mine.value("node_scrape_collector_success", collector));
    assertEquals(systemdTypes(both[1]), systemdTypes(mine), "families and their types");
    assertEquals(12, systemdTypes(mine).size(), systemdTypes(mine).toString());
    assertEquals(systemdSamples(both[1]), systemdSamples(mine), "label sets and values");

    Map<String, String> broken = Map.of("name", "promsuite-broken.service", "state", "failed", "type", "oneshot");
    assertEquals(1, mine.value("node_systemd_unit_state", broken));
    assertEquals(1, mine.value("node_systemd_unit_state",
        Map.of("name", "promsuite-up.service", "state", "active", "type", "simple")));
    assertEquals(0, mine.value("node_systemd_unit_state",
        Map.of("name", "promsuite-up.service", "state", "failed", "type", "simple")));
    assertEquals(1, mine.value("node_systemd_unit_tasks_current", Map.of("name", "promsuite-up.service")));
    assertTrue(mine.value("node_systemd_unit_start_time_seconds", Map.of("name", "promsuite-up.service")) > 1.6e9);
    assertTrue(mine.value("node_systemd_units", Map.of("state", "failed")) >= 1);
    assertEquals(0, mine.value("node_systemd_system_running", Map.of()), "degraded: one unit failed");
    assertTrue(mine.samples("node_systemd_version").get(0).labels().get("version").startsWith("252"));
  }

  @Test
  void optionalFamiliesOnlyBehindTheirFlagsAndDefaultExcludeIsUpstreams() throws Exception {
    Exposition[] both = scrapeBoth(List.of("--collector.systemd.unit-exclude=" + UPSTREAM_EXCLUDE), List.of());
    assertEquals(systemdTypes(both[1]), systemdTypes(both[0]));
    assertEquals(systemdSamples(both[1]), systemdSamples(both[0]));
    for (String family : List.of("node_systemd_unit_tasks_current", "node_systemd_unit_tasks_max",
        "node_systemd_service_restart_total", "node_systemd_unit_start_time_seconds")) {
      assertFalse(both[0].types.containsKey(family), family + " without its flag");
    }
    Set<String> names = both[0].samples("node_systemd_unit_state").stream().map(s -> s.labels().get("name"))
        .collect(Collectors.toSet());
    assertTrue(names.contains("multi-user.target"), "targets are not excluded upstream: " + names);
    assertTrue(names.stream().noneMatch(n -> n.endsWith(".slice") || n.endsWith(".mount")), names.toString());
  }

  @Test
  void unitIncludeAndExcludeAndTheirDeprecatedAliasesChooseTheSameUnitsAsNodeExporter() throws Exception {
    List<String> flags = List.of("--collector.systemd.unit-include=promsuite-.+|dbus\\..+",
        "--collector.systemd.unit-exclude=dbus\\.socket");
    Exposition[] both = scrapeBoth(flags, flags);
    assertEquals(systemdSamples(both[1]), systemdSamples(both[0]));
    Set<String> names = both[0].samples("node_systemd_unit_state").stream().map(s -> s.labels().get("name"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("promsuite-up.service", "promsuite-broken.service", "dbus.service"), names);

    // Debian's build dropped upstream's hidden aliases: ours (upstream's) must choose what the successors choose.
    List<String> aliases = List.of("--collector.systemd.unit-whitelist=promsuite-.+|dbus\\..+",
        "--collector.systemd.unit-blacklist=dbus\\.socket");
    Exposition[] old = scrapeBoth(flags, aliases);
    assertEquals(systemdSamples(old[1]), systemdSamples(old[0]));
    assertEquals(names, old[0].samples("node_systemd_unit_state").stream().map(s -> s.labels().get("name"))
        .collect(Collectors.toSet()));
  }
}
