package io.promsuite.exporter.ml.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataTest {
  private static Metadata parse(String file, String text) {
    return Metadata.parse(file, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryDocumentedFieldFromYaml() {
    Metadata m = parse("metadata.yaml", """
        stage: production
        serving: true
        created: 2024-05-01T12:00:00Z
        training_dataset:
          size: 125000
          last_updated: 2024-04-30
        evaluation:
          validation: {accuracy: 0.93, f1: 0.91, auc: 0.97}
          test: {accuracy: 0.92}
        """);
    assertEquals("production", m.stage());
    assertEquals(Boolean.TRUE, m.serving());
    assertEquals(1714564800, m.createdSeconds());
    assertEquals(125000, m.datasetSize());
    assertEquals(1714435200, m.datasetLastUpdatedSeconds());
    assertEquals(List.of(new EvalMetric("validation", "accuracy", 0.93), new EvalMetric("validation", "f1", 0.91),
        new EvalMetric("validation", "auc", 0.97), new EvalMetric("test", "accuracy", 0.92)), m.metrics());
    assertEquals(List.of(), m.problems());
  }

  @Test
  void aBadFieldIsNamedAndTheOthersAreKept() {
    Metadata m = parse("metadata.json", """
        {"stage": "staging", "serving": "yes", "training_dataset": {"size": 10, "last_updated": "last tuesday"},
         "evaluation": {"validation": {"accuracy": 0.5, "f1": "n/a"}}}""");
    assertEquals("staging", m.stage());
    assertNull(m.serving());
    assertEquals(10, m.datasetSize());
    assertEquals(Double.NaN, m.datasetLastUpdatedSeconds());
    assertEquals(List.of(new EvalMetric("validation", "accuracy", 0.5)), m.metrics());
    assertEquals(3, m.problems().size(), m.problems().toString());
    assertTrue(m.problems().get(0).contains("\"serving\""), m.problems().get(0));
    assertTrue(m.problems().get(1).contains("training_dataset.last_updated"), m.problems().get(1));
    assertTrue(m.problems().get(2).contains("evaluation.validation.f1"), m.problems().get(2));
  }

  @Test
  void truncatedJsonIsOneProblemAndNoValues() {
    Metadata m = parse("metadata.json", "{\"stage\": \"prod");
    assertEquals(1, m.problems().size());
    assertTrue(m.problems().getFirst().startsWith("not valid JSON"), m.problems().getFirst());
    assertEquals("", m.stage());
  }

  @Test
  void unixSecondsAreAcceptedForTimes() {
    Metadata m = parse("metadata.json", "{\"created\": 1700000000, \"training_dataset\": {\"last_updated\": \"1600000000\"}}");
    assertEquals(1700000000, m.createdSeconds());
    assertEquals(1600000000, m.datasetLastUpdatedSeconds());
  }
}
