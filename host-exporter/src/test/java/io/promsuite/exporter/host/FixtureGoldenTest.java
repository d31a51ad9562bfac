package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every collector on a fixture proc/sys/root tree, compared whole with a golden file. */
class FixtureGoldenTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures");
  static final HostPaths PATHS = new HostPaths(FIXTURES.resolve("proc"), FIXTURES.resolve("sys"), FIXTURES.resolve("root"));

  static Statvfs.Stats fakeStatfs(String path) throws IOException {
    String mount = path.substring(PATHS.rootfs().toString().length());
    return switch (mount) {
      case "", "/" -> new Statvfs.Stats(4096, 1000, 400, 300, 5000, 4000);
      case "/srv/data set" -> new Statvfs.Stats(4096, 2000, 2000, 1900, 100, 90);
      case "/tmp" -> new Statvfs.Stats(4096, 50, 50, 50, 10, 10);
      default -> throw new IOException("statvfs " + path + ": errno 5");
    };
  }

  static String renderAll() throws Exception {
    return Golden.render(
        new CpuCollector(PATHS),
        new LoadavgCollector(() -> LoadavgCollector.fromProc(PATHS)),
        new MeminfoCollector(PATHS),
        new FilesystemCollector(PATHS, Pattern.compile(FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE),
            Pattern.compile(FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE), FixtureGoldenTest::fakeStatfs),
        new DiskstatsCollector(PATHS, Pattern.compile(DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE), null),
        new NetdevCollector(PATHS, Pattern.compile(NetdevCollector.DEFAULT_DEVICE_EXCLUDE), null),
        new StatCollector(PATHS, () -> StatCollector.bootTimeFromProc(PATHS)),
        new TimeCollector(PATHS, Clock.fixed(Instant.parse("2026-11-25T10:00:00.250Z"), ZoneId.of("UTC"))),
        new UnameCollector(PATHS, "x86_64"),
        new OsCollector(PATHS));
  }

  @Test
  void wholeOutputMatchesGoldenFile() throws Exception {
    Golden.assertMatches(Path.of("src/test/resources/golden/fixtures.prom"), renderAll());
  }

  @Test
  void unitsAreConvertedAsNodeExporterDoes() throws Exception {
    Exposition e = Exposition.parse(renderAll());
    // cpu0 user 19335 ticks at USER_HZ 100; guest 7 ticks.
    assertEquals(193.35, e.value("node_cpu_seconds_total", Map.of("cpu", "0", "mode", "user")), 1e-9);
    assertEquals(0.07, e.value("node_cpu_guest_seconds_total", Map.of("cpu", "0", "mode", "user")), 1e-9);
    // vda: sectors read x 512 bytes.
    assertEquals(3877434.0 * 512, e.value("node_disk_read_bytes_total", Map.of("device", "vda")), 1);
    assertTrue(e.samples("node_disk_read_bytes_total").stream().noneMatch(s -> s.labels().get("device").startsWith("loop")));
    // MemTotal in kB -> bytes; Active(anon) -> Active_anon.
    assertTrue(e.value("node_memory_MemTotal_bytes", Map.of()) % 1024 == 0);
    assertTrue(!e.samples("node_memory_Active_anon_bytes").isEmpty());
    // Mount point with an escaped space, read-only, listed once; excluded ones absent; a failing statvfs flagged.
    Map<String, String> data = Map.of("device", "/dev/vdb", "fstype", "xfs", "mountpoint", "/srv/data set");
    assertEquals(2000.0 * 4096, e.value("node_filesystem_size_bytes", data));
    assertEquals(1, e.value("node_filesystem_readonly", data));
    assertEquals(1, e.samples("node_filesystem_size_bytes").stream().filter(s -> s.labels().equals(data)).count());
    assertEquals(1, e.value("node_filesystem_device_error",
        Map.of("device", "/dev/vdc", "fstype", "ext4", "mountpoint", "/broken")));
    assertTrue(e.samples("node_filesystem_size_bytes").stream()
        .noneMatch(s -> s.labels().get("mountpoint").startsWith("/proc") || s.labels().get("mountpoint").startsWith("/mnt")
            || s.labels().get("mountpoint").startsWith("/var/lib/docker")));
    // lo excluded by default; nohandler from sysfs.
    assertTrue(e.samples("node_network_receive_bytes_total").stream().noneMatch(s -> s.labels().get("device").equals("lo")));
    assertEquals(3, e.value("node_network_receive_nohandler_total", Map.of("device", "eth0")));
    assertEquals(1795600800.25, e.value("node_time_seconds", Map.of()), 1e-3);
  }
}
