package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hwmon on a fixture /sys/class/hwmon with four kinds of chips, against node_exporter. */
class HwmonCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void sensorsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("hwmon"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      // Chips named after their device (bus_device), by name file, or by directory; base units.
      assertEquals(45.0, theirs.value("node_hwmon_temp_celsius", Map.of("chip", "platform_coretemp_0", "sensor", "temp1")));
      assertEquals(1.04, theirs.value("node_hwmon_in_volts", Map.of("chip", "nct6779", "sensor", "in0")));
      assertEquals(15.0, theirs.value("node_hwmon_power_average_watt", Map.of("chip", "nct6779", "sensor", "power1")));
      assertEquals(123.456789, theirs.value("node_hwmon_energy_joule_total", Map.of("chip", "nct6779", "sensor", "energy1")));
      assertEquals(55.0, theirs.value("node_hwmon_temp_celsius", Map.of("chip", "0000:00:1c_4_0000:03:00_0", "sensor", "temp1")));
      assertEquals(1, theirs.value("node_hwmon_chip_names", Map.of("chip", "thermal_thermal_zone0", "chip_name", "acpi_tz_2")));
      assertEquals(33.0, theirs.value("node_hwmon_temp_celsius", Map.of("chip", "drivetemp", "sensor", "temp1")));
      // Values Go does not parse ("  1800", "12d", "") are left out.
      assertTrue(Double.isNaN(theirs.value("node_hwmon_in_volts", Map.of("chip", "nct6779", "sensor", "in1"))));
      assertTrue(Double.isNaN(theirs.value("node_hwmon_temp_celsius", Map.of("chip", "nct6779", "sensor", "temp6"))));
      assertTrue(theirs.samples.size() > 40, "samples: " + theirs.samples.size());
    }
  }
}
