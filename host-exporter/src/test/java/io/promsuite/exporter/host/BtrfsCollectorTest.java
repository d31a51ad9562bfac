package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** btrfs on fixture /sys/fs/btrfs filesystems (single/dup and raid5/raid1), against node_exporter. */
class BtrfsCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void filesystemsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("btrfs"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      String pool = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f0";
      assertEquals(1.5, theirs.value("node_btrfs_allocation_ratio",
          Map.of("uuid", pool, "block_group_type", "data", "mode", "raid5")));
      assertEquals(7814037168.0 * 512, theirs.value("node_btrfs_device_size_bytes", Map.of("uuid", pool, "device", "sdb")));
      assertEquals(1, theirs.value("node_btrfs_info", Map.of("uuid", pool, "label", "backup pool")));
    }
  }

  @Test
  void mountedFilesystemWithIoctlCountersMatchesNodeExporter() throws Exception {
    // A real btrfs on a loop device: node_exporter's per-device counters come from ioctls on the mount.
    Path mkfs = RealParts.require("mkfs.btrfs");
    if (!RealParts.isRoot()) {
      RealParts.missing("mounting a loop btrfs needs root");
    }
    Path image = tmp.resolve("btrfs.img");
    Path mnt = java.nio.file.Files.createDirectories(tmp.resolve("mnt"));
    run("truncate", "-s", "300M", image.toString());
    run(mkfs.toString(), "-q", "-L", "promsuite-test", image.toString());
    run("mount", "-o", "loop", image.toString(), mnt.toString());
    try (NodeExporterOnFixture both = NodeExporterOnFixture.live(List.of("btrfs"), tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(5, theirs.samples("node_btrfs_device_errors_total").stream()
          .filter(s -> s.labels().get("device").startsWith("loop")).count());
      assertEquals(300.0 * 1024 * 1024, theirs.samples("node_btrfs_device_size_bytes").stream()
          .filter(s -> s.labels().get("device").startsWith("loop")).findFirst().orElseThrow().value());
    } finally {
      run("umount", mnt.toString());
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      if (cmd[0].equals("mount")) {
        RealParts.missing("cannot mount a loop device here: " + out.strip());
      }
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }
}
