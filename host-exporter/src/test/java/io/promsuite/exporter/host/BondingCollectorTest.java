package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bonding on fixture masters (one with lower_ and slave_ links, one empty), against node_exporter. */
class BondingCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void slavesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("bonding"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(3, theirs.value("node_bonding_slaves", Map.of("master", "bond0")));
      assertEquals(2, theirs.value("node_bonding_active", Map.of("master", "bond0")));
      assertEquals(0, theirs.value("node_bonding_slaves", Map.of("master", "bond1")));
    }
  }

  @Test
  void masterWithoutSlavesFileIsNoDataAsInNodeExporter() throws Exception {
    Path net = tmp.resolve("tree/sys/class/net");
    Files.createDirectories(net.resolve("bond0"));
    Files.createDirectories(tmp.resolve("tree/proc"));
    Files.writeString(net.resolve("bonding_masters"), "bond0\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("bonding"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "bonding")));
    }
  }
}
