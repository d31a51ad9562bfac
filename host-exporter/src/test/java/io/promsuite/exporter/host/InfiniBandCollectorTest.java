package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** infiniband on a fixture with a two-port HCA and a soft-RoCE device, against node_exporter. */
class InfiniBandCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void portsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("infiniband"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      Map<String, String> port1 = Map.of("device", "mlx5_0", "port", "1");
      assertEquals(12_500_000_000.0, theirs.value("node_infiniband_rate_bytes_per_second", port1));
      assertEquals(2221223609.0 * 4, theirs.value("node_infiniband_port_data_received_bytes_total", port1));
      assertEquals(64, theirs.value("node_infiniband_legacy_data_received_bytes_total", port1));
      assertEquals(3, theirs.samples("node_infiniband_state_id").size());
    }
  }
}
