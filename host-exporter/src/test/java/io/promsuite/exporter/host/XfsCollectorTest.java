package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xfs on fixture /sys/fs/xfs statistics of two filesystems (one from an older kernel), against node_exporter. */
class XfsCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void filesystemStatisticsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("xfs"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(2, theirs.samples("node_xfs_read_calls_total").size());
      assertEquals(39, theirs.types.keySet().stream().filter(f -> f.startsWith("node_xfs_")).count());
    }
  }

  @Test
  void lineWithWrongFieldCountFailsTheCollectorAsInNodeExporter() throws Exception {
    Path stats = tmp.resolve("tree/sys/fs/xfs/sdb/stats");
    Files.createDirectories(stats);
    Files.createDirectories(tmp.resolve("tree/proc"));
    Files.writeString(stats.resolve("stats"), "extent_alloc 1 2 3 4\nrw 5\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("xfs"),
        tmp.resolve("ne.log"))) {
      assertEquals(0, both.assertSameAsNodeExporter().exposition().value("node_scrape_collector_success",
          Map.of("collector", "xfs")));
    }
  }

  @Test
  void mountedFilesystemMatchesNodeExporter() throws Exception {
    // A real XFS on a loop device, written to so the counters are not all zero.
    try (LoopFilesystem fs = LoopFilesystem.mount(tmp, "xfs")) {
      Files.writeString(fs.mountPoint().resolve("written"), "x".repeat(100_000));
      Files.readString(fs.mountPoint().resolve("written"));
      try (NodeExporterOnFixture both = NodeExporterOnFixture.live(List.of("xfs"), tmp.resolve("ne.log"))) {
        Exposition theirs = both.assertSameAsNodeExporter().exposition();
        assertEquals(39, theirs.types.keySet().stream().filter(f -> f.startsWith("node_xfs_")).count());
        assertEquals(true, theirs.samples("node_xfs_write_calls_total").stream().anyMatch(s -> s.value() > 0));
      }
    }
  }
}
