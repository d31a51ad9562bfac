package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipvs on fixture /proc/net/ip_vs_stats and ip_vs (IPv4, IPv6, firewall marks), against node_exporter. */
class IpvsCollectorTest {
  static final List<String> IPVS = List.of("ipvs");

  @TempDir
  Path tmp;

  @Test
  void servicesAndBackendsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, IPVS, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0x2B1C07, theirs.value("node_ipvs_connections_total", Map.of()));
      assertTrue(theirs.samples("node_ipvs_backend_weight").stream()
          .anyMatch(s -> s.labels().get("remote_address").equals("2001:db8:0:1::10")));
      assertTrue(theirs.samples("node_ipvs_backend_weight").stream()
          .anyMatch(s -> s.labels().get("remote_address").equals("192.168.1.13")));
    }
  }

  @Test
  void backendLabelsFlagSumsAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, IPVS, tmp.resolve("ne.log"),
        "--collector.ipvs.backend-labels=proto,local_port")) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(248 + 252 + 12, theirs.value("node_ipvs_backend_connections_active", Map.of("proto", "TCP", "local_port", "80")));
    }
  }

  @Test
  void unknownBackendLabelIsRefusedNamingIt() {
    FlagException e = assertThrows(FlagException.class, () -> HostExporter.builder()
        .start("--web.listen-address=127.0.0.1:0", "--collector.ipvs.backend-labels=proto,vip"));
    assertTrue(e.getMessage().contains("vip") && e.getMessage().contains("--collector.ipvs.backend-labels"), e.getMessage());
  }
}
