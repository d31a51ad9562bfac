package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** thermal_zone on a fixture /sys/class/thermal, against node_exporter. */
class ThermalZoneCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void zonesAndCoolingDevicesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("thermal_zone"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(-5.5, theirs.value("node_thermal_zone_temp", Map.of("zone", "1", "type", "x86_pkg_temp")));
      assertEquals(3, theirs.samples("node_thermal_zone_temp").size());
      assertEquals(-1, theirs.value("node_cooling_device_cur_state", Map.of("name", "1", "type", "intel_powerclamp")));
    }
  }

  @Test
  void malformedCoolingDeviceFailsTheCollectorAsInNodeExporter() throws Exception {
    Path cd = tmp.resolve("tree/sys/class/thermal/cooling_device0");
    Files.createDirectories(cd);
    Files.writeString(cd.resolve("type"), "Fan\n");
    Files.writeString(cd.resolve("max_state"), "1\n");
    Files.writeString(cd.resolve("cur_state"), "on\n");
    Files.createDirectories(tmp.resolve("tree/proc"));
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("thermal_zone"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "thermal_zone")));
    }
  }
}
