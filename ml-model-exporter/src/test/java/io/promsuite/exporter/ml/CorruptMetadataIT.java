package io.promsuite.exporter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.ml.testing.ModelTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built exporter ({@code target/bin/ml-model-exporter}, after package) on a store whose pinned
 * version's metadata.json is truncated while it runs: the pin and everything read from that file
 * stay, the unreadable metric names the version, and the warning is logged once, not every refresh.
 */
class CorruptMetadataIT {
  private static final Path LAUNCHER = Path.of("target/bin/ml-model-exporter");
  private static final Instant NOW = Instant.now();

  @Test
  void truncatedMetadataOfThePinnedVersionKeepsThePinAndItsSeriesAndWarnsOnce(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(LAUNCHER)) {
      RealParts.missing(LAUNCHER.toAbsolutePath() + " is not built (it is made in the package phase)");
    }
    Path store = dir.resolve("models");
    String pinned = """
        {"serving": true, "stage": "production", "created": "%s",
         "training_dataset": {"size": 1200000, "last_updated": "%s"},
         "evaluation": {"validation": {"accuracy": 0.912, "f1": 0.887}}}
        """.formatted(NOW.minus(Duration.ofDays(3 * 365)), NOW.minus(Duration.ofDays(3 * 365 + 2)));
    new ModelTree(store)
        .version("ranker", "1.0.0", 4096, pinned)
        .version("ranker", "1.1.0-rc1", 8192, "{\"stage\": \"candidate\", \"created\": \"" + NOW.minusSeconds(600) + "\"}");
    Path metadata = store.resolve("ranker/1.0.0/metadata.json");
    int port = Ports.free();
    String metrics = "http://127.0.0.1:" + port + "/metrics";
    try (RealProcess exporter = RealProcess.start(List.of(LAUNCHER.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--store.local.path=" + store, "--refresh.interval=1s"), dir.resolve("exporter.log"))) {
      exporter.awaitHttp("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60));
      Exposition before = awaitScrape(metrics, e -> value(e, "ml_model_info", Map.of("version", "1.0.0")) == 1);
      assertSeriesOfThePinnedVersion(before);

      // Truncated in place, as a copy interrupted by a full disk leaves it.
      byte[] whole = Files.readAllBytes(metadata);
      Files.write(metadata, java.util.Arrays.copyOf(whole, whole.length / 2));
      Exposition broken = awaitScrape(metrics,
          e -> value(e, "ml_model_exporter_metadata_unreadable", Map.of("model", "ranker", "version", "1.0.0")) == 1);
      // Three more refreshes of the broken file: nothing flips, nothing is logged again.
      double last = value(broken, "ml_model_exporter_source_last_refresh_timestamp_seconds", Map.of("source", "local"));
      for (int i = 0; i < 3; i++) {
        double seen = last;
        broken = awaitScrape(metrics,
            e -> value(e, "ml_model_exporter_source_last_refresh_timestamp_seconds", Map.of("source", "local")) > seen);
        last = value(broken, "ml_model_exporter_source_last_refresh_timestamp_seconds", Map.of("source", "local"));
        assertSeriesOfThePinnedVersion(broken);
        assertEquals(1, value(broken, "ml_model_exporter_metadata_unreadable", Map.of("model", "ranker", "version", "1.0.0")));
      }
      assertEquals(1, value(broken, "ml_model_exporter_model_errors_total", Map.of("model", "ranker")),
          "the broken file is counted once");
      List<String> warnings = exporter.output().lines().filter(l -> l.contains("bad model metadata")).toList();
      assertEquals(1, warnings.size(), exporter.output());
      assertTrue(warnings.getFirst().contains(metadata.toString()) && warnings.getFirst().contains("version=1.0.0")
          && warnings.getFirst().contains("last good reading"), warnings.getFirst());

      Files.write(metadata, whole);
      Exposition repaired = awaitScrape(metrics,
          e -> e.samples.stream().noneMatch(s -> s.name().equals("ml_model_exporter_metadata_unreadable")));
      assertSeriesOfThePinnedVersion(repaired);
      assertEquals(1, exporter.output().lines().filter(l -> l.contains("model metadata readable again")).count(),
          exporter.output());
    }
  }

  private static void assertSeriesOfThePinnedVersion(Exposition e) {
    assertEquals(1, value(e, "ml_model_info", Map.of("model", "ranker", "version", "1.0.0", "stage", "production")));
    assertTrue(value(e, "ml_model_age_seconds", Map.of("model", "ranker")) > 2 * 365 * 86400.0, "3 years old");
    assertEquals(4096, value(e, "ml_model_size_bytes", Map.of("model", "ranker")));
    assertEquals(1_200_000, value(e, "ml_training_dataset_size", Map.of("model", "ranker")));
    assertTrue(value(e, "ml_training_dataset_last_updated", Map.of("model", "ranker")) > 0);
    assertEquals(0.912, value(e, "ml_model_accuracy", Map.of("model", "ranker", "dataset", "validation")));
    assertEquals(0.887, value(e, "ml_model_f1_score", Map.of("model", "ranker", "dataset", "validation")));
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}, NaN when there is none. */
  private static double value(Exposition e, String name, Map<String, String> labels) {
    return e.samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Exposition.Sample::value).findFirst().orElse(Double.NaN);
  }

  private static Exposition awaitScrape(String url, Predicate<Exposition> until) {
    return Poll.until(Duration.ofSeconds(60), "the expected scrape at " + url, () -> Exposition.parse(Http.get(url).body()), until);
  }
}
