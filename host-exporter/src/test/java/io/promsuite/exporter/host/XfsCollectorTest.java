package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.RealParts;
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
    Path mkfs = RealParts.require("mkfs.xfs");
    if (!RealParts.isRoot()) {
      RealParts.missing("mounting a loop XFS needs root");
    }
    Path image = tmp.resolve("xfs.img");
    Path mnt = Files.createDirectories(tmp.resolve("mnt"));
    run("truncate", "-s", "320M", image.toString());
    run(mkfs.toString(), "-q", image.toString());
    run("mount", "-o", "loop", image.toString(), mnt.toString());
    try {
      Files.writeString(mnt.resolve("written"), "x".repeat(100_000));
      Files.readString(mnt.resolve("written"));
      try (NodeExporterOnFixture both = NodeExporterOnFixture.live(List.of("xfs"), tmp.resolve("ne.log"))) {
        Exposition theirs = both.assertSameAsNodeExporter().exposition();
        assertEquals(39, theirs.types.keySet().stream().filter(f -> f.startsWith("node_xfs_")).count());
        assertEquals(true, theirs.samples("node_xfs_write_calls_total").stream().anyMatch(s -> s.value() > 0));
      }
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
