package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rapl on a fixture /sys/class/powercap with two packages and their sub-zones, against node_exporter. */
class RaplCollectorTest {
  static final List<String> RAPL = List.of("rapl");

  @TempDir
  Path tmp;

  @Test
  void zonesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, RAPL, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(3, theirs.samples("node_rapl_package_joules_total").size());
      // The second "core" zone gets index 1; "psys-x" keeps its whole name, sanitised.
      assertEquals(1, theirs.samples("node_rapl_core_joules_total").stream()
          .filter(s -> s.labels().get("index").equals("1")).count());
      assertEquals(1, theirs.samples("node_rapl_psys_x_joules_total").size());
    }
  }

  @Test
  void zoneLabelFlagAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, RAPL, tmp.resolve("ne.log"),
        "--collector.rapl.enable-zone-label")) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(8, theirs.samples("node_rapl_joules_total").size());
      assertEquals(240422.366267, theirs.samples("node_rapl_joules_total").stream()
          .filter(s -> s.labels().get("path").endsWith("intel-rapl:0")).findFirst().orElseThrow().value());
    }
  }
}
