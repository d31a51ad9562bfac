package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** zfs on fixture kstats (ARC, ZIL, two pools, datasets), against node_exporter. */
class ZfsCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void kstatsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("zfs"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals("untyped", theirs.types.get("node_zfs_arc_hits"));
      assertEquals(1, theirs.value("node_zfs_zpool_state", Map.of("zpool", "backup", "state", "degraded")));
      assertEquals(1884160, theirs.value("node_zfs_zpool_nread", Map.of("zpool", "tank")));
      assertEquals(2, theirs.samples("node_zfs_zpool_dataset_nread").size());
      // '-' in kstat names becomes '_'; signed (type 3) kstats are not exported.
      assertEquals(1, theirs.samples("node_zfs_fm_erpt_dropped").size());
      assertEquals(0, theirs.samples("node_zfs_arc_memory_available_bytes").size());
    }
  }

  @Test
  void rawTableWhereAKstatIsExpectedFailsTheCollectorAsInNodeExporter() throws Exception {
    // Newer OpenZFS writes dbuf_stats as a table: node_exporter 1.5 fails its zfs collector there.
    Path zfs = tmp.resolve("tree/proc/spl/kstat/zfs");
    Files.createDirectories(zfs);
    Files.createDirectories(tmp.resolve("tree/sys"));
    Files.writeString(zfs.resolve("dbuf_stats"), "dbuf\n  pool  objset  object  level  blkid  offset  dbsize\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("zfs"),
        tmp.resolve("ne.log"))) {
      assertEquals(0, both.assertSameAsNodeExporter().exposition().value("node_scrape_collector_success",
          Map.of("collector", "zfs")));
    }
  }
}
