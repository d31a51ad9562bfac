package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The filesystem collector called directly with a statvfs of known answers: the sizes it reports
 * come from the host's statvfs, which the end-to-end golden test (FixtureGoldenTest) cannot fix,
 * so their conversion is proven here; the mount list, exclusions and errors are in the golden file.
 */
class FilesystemCollectorTest {
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

  @Test
  void sizesAreBlocksTimesBlockSizeOncePerMountAndAFailingStatvfsIsAnError() throws Exception {
    Exposition e = Exposition.parse(Golden.render(new FilesystemCollector(PATHS,
        Pattern.compile(FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE),
        Pattern.compile(FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE), FilesystemCollectorTest::fakeStatfs)));
    // Mount point with an escaped space, read-only, listed once (it is mounted twice).
    Map<String, String> data = Map.of("device", "/dev/vdb", "fstype", "xfs", "mountpoint", "/srv/data set");
    assertEquals(2000.0 * 4096, e.value("node_filesystem_size_bytes", data));
    assertEquals(2000.0 * 4096, e.value("node_filesystem_free_bytes", data));
    assertEquals(1900.0 * 4096, e.value("node_filesystem_avail_bytes", data));
    assertEquals(100, e.value("node_filesystem_files", data));
    assertEquals(90, e.value("node_filesystem_files_free", data));
    assertEquals(1, e.value("node_filesystem_readonly", data));
    assertEquals(1, e.samples("node_filesystem_size_bytes").stream().filter(s -> s.labels().equals(data)).count());
    Map<String, String> broken = Map.of("device", "/dev/vdc", "fstype", "ext4", "mountpoint", "/broken");
    assertEquals(1, e.value("node_filesystem_device_error", broken));
    assertTrue(Double.isNaN(e.value("node_filesystem_size_bytes", broken)), "no sizes for a failing statvfs");
    assertTrue(e.samples("node_filesystem_size_bytes").stream()
        .noneMatch(s -> s.labels().get("mountpoint").startsWith("/proc") || s.labels().get("mountpoint").startsWith("/mnt")
            || s.labels().get("mountpoint").startsWith("/var/lib/docker")));
  }
}
