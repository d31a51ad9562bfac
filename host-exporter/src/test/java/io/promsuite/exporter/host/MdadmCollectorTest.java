package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mdadm on a fixture /proc/mdstat with arrays in every state, against node_exporter. */
class MdadmCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void arraysMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("mdadm"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(9, theirs.samples("node_md_blocks").size());
      assertEquals(1, theirs.value("node_md_state", Map.of("device", "md1", "state", "recovering")));
      assertEquals(338166784, theirs.value("node_md_blocks_synced", Map.of("device", "md1")));
      assertEquals(1, theirs.value("node_md_disks", Map.of("device", "md1", "state", "failed")));
      assertEquals(0, theirs.value("node_md_blocks_synced", Map.of("device", "md2")));
      assertEquals(1, theirs.value("node_md_state", Map.of("device", "md6", "state", "check")));
      assertEquals(1, theirs.value("node_md_state", Map.of("device", "md5", "state", "inactive")));
    }
  }

  @Test
  void truncatedFileFailsTheCollectorAsInNodeExporter() throws Exception {
    Path proc = tmp.resolve("tree/proc");
    Files.createDirectories(proc);
    Files.createDirectories(tmp.resolve("tree/sys"));
    Files.writeString(proc.resolve("mdstat"), "Personalities : [raid1]\nmd0 : active raid1 sdb1[1] sda1[0]\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("mdadm"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "mdadm")));
    }
  }
}
