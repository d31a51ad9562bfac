package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** edac on a fixture /sys/devices/system/edac with two memory controllers, against node_exporter. */
class EdacCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void memoryErrorsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("edac"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(10, theirs.value("node_edac_correctable_errors_total", Map.of("controller", "1")));
      assertEquals(5, theirs.value("node_edac_csrow_correctable_errors_total", Map.of("controller", "1", "csrow", "10")));
      assertEquals(1, theirs.value("node_edac_csrow_correctable_errors_total",
          Map.of("controller", "1", "csrow", "unknown")));
    }
  }
}
