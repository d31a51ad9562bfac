package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nvme on a fixture /sys/class/nvme, against node_exporter. */
class NvmeCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void controllersMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("nvme"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      // Padding in model and serial is trimmed.
      assertEquals(1, theirs.value("node_nvme_info", Map.of("device", "nvme0", "firmware_revision", "3B2QGXA7",
          "model", "Example NVMe SSD 1TB", "serial", "S4EWNX0N123456A", "state", "live")));
    }
  }

  @Test
  void controllerWithoutStateIsNoDataAsInNodeExporter() throws Exception {
    Path dev = tmp.resolve("tree/sys/class/nvme/nvme0");
    Files.createDirectories(dev);
    Files.createDirectories(tmp.resolve("tree/proc"));
    Files.writeString(dev.resolve("firmware_rev"), "1\n");
    Files.writeString(dev.resolve("model"), "m\n");
    Files.writeString(dev.resolve("serial"), "s\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("nvme"),
        tmp.resolve("ne.log"))) {
      assertEquals(0, both.assertSameAsNodeExporter().exposition().value("node_scrape_collector_success",
          Map.of("collector", "nvme")));
    }
  }
}
