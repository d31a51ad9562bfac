package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The textfile collector called directly; its families go through client_java's snapshots here
 * (the OpenMetrics and protobuf path), where the live comparison covers the text path.
 */
class TextfileCollectorTest {
  @TempDir
  Path tmp;

  @Test
  void histogramsAndSummariesSurviveTheSnapshotPath() throws Exception {
    Files.writeString(tmp.resolve("a.prom"), """
        # HELP lat Latency.
        # TYPE lat histogram
        lat_bucket{le="0.1"} 1
        lat_bucket{le="1"} 3
        lat_sum 1.7
        lat_count 4
        # TYPE rpc summary
        rpc{quantile="0.5"} 0.2
        rpc_sum 9
        rpc_count 10
        """);
    Exposition e = Exposition.parse(Golden.render(new TextfileCollector(tmp.toString())));
    assertEquals(1, e.value("lat_bucket", Map.of("le", "0.1")));
    assertEquals(3, e.value("lat_bucket", Map.of("le", "1.0")));
    assertEquals(4, e.value("lat_bucket", Map.of("le", "+Inf")), "the +Inf bucket holds the count");
    assertEquals(1.7, e.value("lat_sum", Map.of()));
    assertEquals(0.2, e.value("rpc", Map.of("quantile", "0.5")));
    assertEquals(10, e.value("rpc_count", Map.of()));
    assertEquals(0, e.value("node_textfile_scrape_error", Map.of()));
  }

  @Test
  void globMatchesDirectoriesInOrderAndAnEmptyFlagReadsNothing() throws Exception {
    Files.createDirectories(tmp.resolve("b/jobs"));
    Files.createDirectories(tmp.resolve("a/jobs"));
    Files.createDirectories(tmp.resolve("c/other"));
    assertEquals(List.of(tmp.resolve("a/jobs"), tmp.resolve("b/jobs")),
        new TextfileCollector(tmp + "/*/jobs").directories());
    assertEquals(List.of(), new TextfileCollector("").directories());
    Exposition e = Exposition.parse(Golden.render(new TextfileCollector("")));
    assertEquals(0, e.value("node_textfile_scrape_error", Map.of()));
    assertTrue(e.samples("node_textfile_mtime_seconds").isEmpty());
  }
}
