package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dmi on a fixture /sys/class/dmi/id (no product_sku, no product_version), against node_exporter. */
class DmiCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void dmiInfoMatchesNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("dmi"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      Exposition.Sample info = theirs.samples("node_dmi_info").getFirst();
      assertEquals("Example Systems", info.labels().get("system_vendor"));
      assertEquals("4c4c4544-0042-3510-8052-b2c04f4d3532", info.labels().get("product_uuid"));
    }
  }
}
