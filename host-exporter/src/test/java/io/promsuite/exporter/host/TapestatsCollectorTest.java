package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tapestats on a fixture /sys/class/scsi_tape (st0, st1 and the mode devices), against node_exporter. */
class TapestatsCollectorTest {
  static final List<String> TAPE = List.of("tapestats");

  @TempDir
  Path tmp;

  @Test
  void tapeDrivesMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, TAPE, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      // st0a and nst0 are other names for st0: only st<N> is read.
      assertEquals(2, theirs.samples("node_tape_io_now").size());
      assertEquals(9247.01108772, theirs.value("node_tape_io_time_seconds_total", Map.of("device", "st0")), 1e-9);
      assertEquals(0, theirs.value("node_tape_residual_total", Map.of("device", "st1")));
    }
  }

  @Test
  void ignoredDevicesFlagAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, TAPE, tmp.resolve("ne.log"),
        "--collector.tapestats.ignored-devices=^st1$")) {
      assertEquals(1, both.assertSameAsNodeExporter().exposition().samples("node_tape_io_now").size());
    }
  }
}
