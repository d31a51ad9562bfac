package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --path.udev.data (set by node_exporter's Helm chart) next to Debian's node_exporter 1.5: udev
 * properties of this machine's disks, written to a temporary database, become the same
 * node_disk_info labels and file system, device mapper and ATA families.
 */
class NodeExporterUdevTest {
  @TempDir
  Path tmp;

  @Test
  void udevPropertiesGiveTheSameDiskFamilies() throws Exception {
    Path udev = Files.createDirectory(tmp.resolve("udev"));
    List<String> disks = Files.readAllLines(Path.of("/proc/diskstats")).stream().map(Fields::split)
        .filter(f -> f.size() >= 14 && !f.get(2).startsWith("loop") && !f.get(2).matches(".*\\d+p?\\d+$|^[hsv]d[a-z]\\d+$"))
        .map(f -> f.get(0) + ":" + f.get(1)).toList();
    for (String dev : disks) {
      Files.writeString(udev.resolve("b" + dev), """
          S:disk/by-path/pci-0000:00:05.0
          E:ID_PATH=pci-0000:00:05.0
          E:ID_MODEL=Fixture_Disk %s
          E:ID_SERIAL_SHORT=SN%s
          E:ID_REVISION=1.0
          E:ID_WWN=0x5000c500a1b2c3d4
          E:ID_FS_TYPE=LVM2_member
          E:ID_FS_USAGE=raid
          E:ID_FS_UUID=abc-123
          E:ID_FS_VERSION=LVM2 001
          E:DM_NAME=vg0-root
          E:DM_UUID=LVM-xyz
          E:DM_VG_NAME=vg0
          E:DM_LV_NAME=root
          E:ID_ATA=1
          E:ID_ATA_WRITE_CACHE=1
          E:ID_ATA_WRITE_CACHE_ENABLED=0
          E:ID_ATA_ROTATION_RATE_RPM=7200
          E:=no name
          """.formatted(dev, dev.replace(":", "")));
    }
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), List.of("--collector.disable-defaults",
        "--collector.diskstats", "--path.udev.data=" + udev))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], f -> f.equals("node_disk_info") || f.equals("node_disk_filesystem_info")
          || f.equals("node_disk_device_mapper_info") || f.startsWith("node_disk_ata_"));
      Exposition mine = Exposition.parse(bodies[0]);
      assertEquals(disks.size(), mine.samples("node_disk_ata_rotation_rate_rpm").size(), "every disk given ATA figures");
      assertEquals(7200, mine.samples("node_disk_ata_rotation_rate_rpm").getFirst().value());
      assertEquals(Map.of("device", mine.samples("node_disk_device_mapper_info").getFirst().labels().get("device"),
          "name", "vg0-root", "uuid", "LVM-xyz", "vg_name", "vg0", "lv_name", "root", "lv_layer", ""),
          mine.samples("node_disk_device_mapper_info").getFirst().labels());
    }
  }
}
