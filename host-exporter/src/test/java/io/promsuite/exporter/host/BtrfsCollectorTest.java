package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
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
    try (LoopFilesystem fs = LoopFilesystem.mount(tmp, "btrfs");
        NodeExporterOnFixture both = NodeExporterOnFixture.live(List.of("btrfs"), tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      String device = fs.device();
      assertEquals(5, theirs.samples("node_btrfs_device_errors_total").stream()
          .filter(s -> s.labels().get("device").equals(device)).count());
      assertEquals(320.0 * 1024 * 1024, theirs.samples("node_btrfs_device_size_bytes").stream()
          .filter(s -> s.labels().get("device").equals(device)).findFirst().orElseThrow().value());
    }
  }
}
