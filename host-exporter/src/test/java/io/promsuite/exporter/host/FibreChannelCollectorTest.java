package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fibrechannel on a fixture with two HBA ports, against node_exporter. */
class FibreChannelCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void hostAdaptersMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("fibrechannel"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0x1fa6b35e0L, theirs.value("node_fibrechannel_rx_words_total", Map.of("fc_host", "host0")));
      // All ones means not implemented: no sample; a missing file reads as 0.
      assertTrue(theirs.samples("node_fibrechannel_dumped_frames_total").isEmpty());
      assertEquals(0, theirs.value("node_fibrechannel_tx_words_total", Map.of("fc_host", "host1")));
      assertEquals("21000024ff7a1b40", theirs.samples("node_fibrechannel_info").stream()
          .filter(s -> s.labels().get("fc_host").equals("host0")).findFirst().orElseThrow().labels().get("port_name"));
    }
  }
}
