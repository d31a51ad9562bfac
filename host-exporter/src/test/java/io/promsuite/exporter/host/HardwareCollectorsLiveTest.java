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

/**
 * The hardware collectors on this machine's own /proc and /sys, and on a host that has none of
 * that hardware, against node_exporter: the same families, values and success per collector, so
 * none adds a family node_exporter does not serve or fails where it succeeds.
 */
class HardwareCollectorsLiveTest {
  static final List<String> HARDWARE = List.of("bcache", "bonding", "btrfs", "dmi", "edac", "fibrechannel", "hwmon",
      "infiniband", "ipvs", "mdadm", "netclass", "nfs", "nfsd", "nvme", "powersupplyclass", "rapl", "tapestats",
      "thermal_zone", "xfs", "zfs");

  @TempDir
  Path tmp;

  @Test
  void sameAsNodeExporterOnThisMachine() throws Exception {
    // netclass counters (carrier changes) only move when a link flaps; nothing here is timing-dependent.
    try (NodeExporterOnFixture both = NodeExporterOnFixture.live(HARDWARE, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(HARDWARE.size(), theirs.samples("node_scrape_collector_success").size());
    }
  }

  @Test
  void hostWithoutAnyOfTheHardwareReportsAsNodeExporter() throws Exception {
    Files.createDirectories(tmp.resolve("empty/proc"));
    Files.createDirectories(tmp.resolve("empty/sys"));
    Files.createDirectories(tmp.resolve("empty/root"));
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("empty"), HARDWARE, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertTrue(theirs.samples.stream().filter(s -> NodeExporterOnFixture.compared(s.name()))
          .allMatch(s -> s.name().startsWith("node_scrape_collector_")),
          "no collector serves anything without its files");
      // Those that read a directory glob succeed with nothing; the others report no data.
      assertEquals(1, theirs.value("node_scrape_collector_success", Map.of("collector", "thermal_zone")));
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "hwmon")));
    }
  }
}
