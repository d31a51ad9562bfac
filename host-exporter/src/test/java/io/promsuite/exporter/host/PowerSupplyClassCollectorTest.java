package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** powersupplyclass on a fixture with an AC adapter, a laptop battery and a UPS, against node_exporter. */
class PowerSupplyClassCollectorTest {
  static final List<String> POWER = List.of("powersupplyclass");

  @TempDir
  Path tmp;

  @Test
  void suppliesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, POWER, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(34.2, theirs.value("node_power_supply_energy_watthour", Map.of("power_supply", "BAT0")));
      assertEquals(29.8, theirs.value("node_power_supply_temp_celsius", Map.of("power_supply", "BAT0")));
      assertTrue(theirs.samples("node_power_supply_info").stream()
          .anyMatch(s -> "Sänyo".equals(s.labels().get("manufacturer")) && "4312".equals(s.labels().get("serial_number"))));
      assertEquals(3, theirs.samples("node_power_supply_info").size());
    }
  }

  @Test
  void ignoredSuppliesFlagAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, POWER, tmp.resolve("ne.log"),
        "--collector.powersupply.ignored-supplies=^(AC|hid-.*)$")) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(1, theirs.samples("node_power_supply_info").size());
    }
  }

  @Test
  void malformedNumberFailsTheCollectorAsInNodeExporter() throws Exception {
    Path bat = tmp.resolve("tree/sys/class/power_supply/BAT0");
    Files.createDirectories(bat);
    Files.createDirectories(tmp.resolve("tree/proc"));
    Files.writeString(bat.resolve("type"), "Battery\n");
    Files.writeString(bat.resolve("capacity"), "full\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), POWER, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "powersupplyclass")));
    }
  }
}
