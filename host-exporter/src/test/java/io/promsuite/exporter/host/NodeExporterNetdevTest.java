package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The netdev collector's switches next to Debian's node_exporter 1.5 on this machine: the netlink
 * reader (default) and /proc/net/dev, node_exporter's mapped and detailed names, address info.
 */
class NodeExporterNetdevTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"", "--no-collector.netdev.netlink", "--collector.netdev.enable-detailed-metrics",
      "--collector.netdev.enable-detailed-metrics --no-collector.netdev.netlink",
      "--collector.netdev.address-info --collector.netdev.device-exclude=^$"})
  void sameFamiliesLabelsAndValuesAsNodeExporter(String flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--collector.disable-defaults", "--collector.netdev"));
    if (!flags.isEmpty()) {
      args.addAll(List.of(flags.split(" ")));
    }
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), args)) {
      // Traffic between the two reads (this test's own scrapes over lo) moves the counters a little.
      String[] bodies = both.scrape();
      SideBySide.assertSameWithin(bodies[0], bodies[1], f -> f.startsWith("node_network_"), 0.03, 200);
      assertTrue(Exposition.parse(bodies[0]).samples.stream().anyMatch(s -> s.name().startsWith("node_network_")));
    }
  }
}
