package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bcache on a fixture cache set with one backing and one cache device, against node_exporter. */
class BcacheCollectorTest {
  static final List<String> BCACHE = List.of("bcache");

  @TempDir
  Path tmp;

  @Test
  void cacheSetMatchesNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, BCACHE, tmp.resolve("ne.log"))) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      Map<String, String> bdev = Map.of("uuid", "deaddd54-c735-46d5-868e-f331c5fd7c74", "backing_device", "bdev0");
      // "1.2M": 1 + 2/10.24 MiB, truncated; "-23.7k" signed; "1.5K" (unknown suffix) reads 0.
      assertEquals(Math.floor((1 + 2 / 10.24) * 1024 * 1024), theirs.value("node_bcache_dirty_data_bytes", bdev));
      assertEquals(-(long) ((23 + 7 / 10.24) * 1024), theirs.value("node_bcache_writeback_rate_proportional_term", bdev));
      assertEquals(0, theirs.value("node_bcache_cache_readaheads_total", bdev));
    }
  }

  @Test
  void priorityStatsFlagAsNodeExporter() throws Exception {
    try (NodeExporterOnFixture both = NodeExporterOnFixture.start(NetclassCollectorTest.TREE, BCACHE, tmp.resolve("ne.log"),
        "--collector.bcache.priorityStats")) {
      Exposition theirs = both.assertSameAsNodeExporter().exposition();
      assertEquals(6, theirs.value("node_bcache_priority_stats_metadata_percent",
          Map.of("uuid", "deaddd54-c735-46d5-868e-f331c5fd7c74", "cache_device", "cache0")));
    }
  }
}
