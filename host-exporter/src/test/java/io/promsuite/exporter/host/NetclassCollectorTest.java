package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.cli.FlagException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** netclass on a fixture /sys/class/net and live, against node_exporter on the same tree. */
class NetclassCollectorTest {
  static final Path TREE = Path.of("src/test/resources/fixtures/hardware");
  static final List<String> NETCLASS = List.of("netclass");

  @TempDir
  Path tmp;

  @Test
  void interfacePropertiesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(TREE, NETCLASS, tmp.resolve("ne.log"))) {
      NodeExporterOnFixture.Scrape theirs = both.assertSameAsNodeExporter();
      // The fixture reaches the cases that matter: Mbit/s -> bytes/s, -1 kept, hex flags, an
      // unparsable number skipped, a regular file in class/net not taken for an interface.
      assertEquals(125_000_000, theirs.exposition().value("node_network_speed_bytes", Map.of("device", "eth0")));
      assertEquals(-125_000, theirs.exposition().value("node_network_speed_bytes", Map.of("device", "eth1")));
      assertEquals(0x1003, theirs.exposition().value("node_network_flags", Map.of("device", "eth0")));
      assertEquals(0, theirs.exposition().value("node_network_net_dev_group", Map.of("device", "docker0")));
      assertEquals(1000, theirs.exposition().value("node_network_transmit_queue_length", Map.of("device", "lo")));
      assertTrue(theirs.exposition().samples("node_network_up").stream()
          .noneMatch(s -> s.labels().get("device").equals("bonding_masters")));
    }
  }

  @Test
  void ignoredDevicesAndInvalidSpeedFlagsAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(TREE, NETCLASS, tmp.resolve("ne.log"),
        "--collector.netclass.ignored-devices=^(docker|lo|bond)", "--collector.netclass.ignore-invalid-speed")) {
      NodeExporterOnFixture.Scrape theirs = both.assertSameAsNodeExporter();
      assertEquals(2, theirs.exposition().samples("node_network_up").size());
      assertEquals(1, theirs.exposition().samples("node_network_speed_bytes").size());
    }
  }

  @Test
  void sameAsNodeExporterOnThisMachine() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.live(NETCLASS, tmp.resolve("ne.log"))) {
      assertTrue(!both.assertSameAsNodeExporter().exposition().samples("node_network_up").isEmpty());
    }
  }

  @Test
  void netlinkIsRefusedWithWhatToDoInstead() {
    FlagException e = assertThrows(FlagException.class,
        () -> HostExporter.builder().start("--web.listen-address=127.0.0.1:0", "--collector.netclass.netlink"));
    assertTrue(e.getMessage().contains("--collector.netclass.netlink") && e.getMessage().contains("/sys/class/net"),
        e.getMessage());
  }
}
