package io.promsuite.exporter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.ml.source.EvalMetric;
import io.promsuite.exporter.ml.source.ModelReading;
import io.promsuite.exporter.ml.testing.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCollectorTest {
  private static final Instant NOW = Instant.parse("2024-05-02T00:00:00Z");

  @Test
  void emitsEveryFamilyFromTheSnapshotAndComputesAgeAtScrapeTime() throws Exception {
    ModelCatalog.Snapshot snap = new ModelCatalog.Snapshot(
        List.of(
            new ModelCatalog.Entry("s3://models/", new ModelReading("resnet50", "7", "production", 7,
                NOW.getEpochSecond() - 3600, 102_400_000, 1_281_167, NOW.getEpochSecond() - 86400,
                List.of(new EvalMetric("validation", "accuracy", 0.761), new EvalMetric("validation", "f1", 0.75),
                    new EvalMetric("test", "top5_accuracy", 0.93)), 0)),
            new ModelCatalog.Entry("local", new ModelReading("churn", "2024-04-01", "", 1, Double.NaN, 2048,
                Double.NaN, Double.NaN, List.of(), 2))),
        List.of(new ModelCatalog.SourceStatus("s3://models/", "s3", true, NOW.getEpochSecond() - 10, 0.25, 0, 1),
            new ModelCatalog.SourceStatus("local", "local", false, NOW.getEpochSecond() - 5, 0.001, 3, 1)),
        List.of(new ModelCatalog.ErrorCount("s3://models/", "resnet50", 0), new ModelCatalog.ErrorCount("local", "churn", 4)),
        List.of(new ModelCatalog.Unreadable("local", "churn", "2024-04-01")));
    RecordingSink sink = new RecordingSink();
    new ModelCollector(() -> snap, Clock.fixed(NOW, ZoneOffset.UTC)).collect(sink);
    String golden;
    try (var in = getClass().getResourceAsStream("/golden/model-collector.prom")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(golden, sink.text());
  }
}
