package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nfs and nfsd on fixture /proc/net/rpc files, against node_exporter. */
class NfsCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void clientAndServerStatisticsMatchNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, List.of("nfs", "nfsd"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(59 + 22 + 18, theirs.samples("node_nfs_requests_total").size());
      // proc4 of an older kernel has 48 procedures: the later ones read as 0.
      assertEquals(0, theirs.value("node_nfs_requests_total", Map.of("proto", "4", "method", "Clone")));
      assertEquals(18446744073709551615.0, theirs.value("node_nfsd_disk_bytes_written_total", Map.of()));
      assertEquals(8, theirs.value("node_nfsd_server_threads", Map.of()));
    }
  }

  @Test
  void lineNodeExporterDoesNotKnowFailsTheCollectorAsThere() throws Exception {
    Path rpc = tmp.resolve("tree/proc/net/rpc");
    Files.createDirectories(rpc);
    Files.createDirectories(tmp.resolve("tree/sys"));
    Files.writeString(rpc.resolve("nfsd"), "rc 0 0 0\nwdeleg_getattr 0\n");
    Files.writeString(rpc.resolve("nfs"), "net 1 0 1 1\nrpc 5 0 5\n");
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(tmp.resolve("tree"), List.of("nfs", "nfsd"),
        tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(0, theirs.value("node_scrape_collector_success", Map.of("collector", "nfsd")));
      assertEquals(1, theirs.value("node_scrape_collector_success", Map.of("collector", "nfs")));
    }
  }
}
