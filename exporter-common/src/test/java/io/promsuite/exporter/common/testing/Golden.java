package io.promsuite.exporter.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.SnapshotSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file tests (node_exporter's end-to-end shape): a collector's whole output, in the text
 * format, compared with a checked-in {@code .prom} file. Run with {@code -Dgolden.update=true} to
 * rewrite the files, then review the diff.
 */
public final class Golden {
  private Golden() {}

  public static String render(Collector... collectors) throws Exception {
    SnapshotSink sink = new SnapshotSink();
    for (Collector c : collectors) {
      c.collect(sink);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(sink.snapshots()));
    return out.toString(StandardCharsets.UTF_8);
  }

  public static void assertMatches(Path goldenFile, String actual) throws Exception {
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(goldenFile.getParent());
      Files.writeString(goldenFile, actual);
    }
    assertEquals(Files.readString(goldenFile), actual, "output differs from " + goldenFile);
  }
}
