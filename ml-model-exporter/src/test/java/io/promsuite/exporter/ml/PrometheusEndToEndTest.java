package io.promsuite.exporter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.ml.testing.ModelTree;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus scrapes the exporter; PromQL over the scraped series gives the expected answers. */
class PrometheusEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void promqlOnTrainingDatasetLastUpdatedGivesTheDatasetAge() throws Exception {
    Path prometheus = RealParts.require("/usr/bin/prometheus");
    Instant lastUpdated = Instant.now().minus(Duration.ofHours(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    new ModelTree(dir.resolve("models")).version("resnet50", "3", 100,
        "{\"training_dataset\": {\"size\": 50000, \"last_updated\": \"" + lastUpdated + "\"}}");
    try (MlModelExporter.Running exporter = MlModelExporter.start(List.of(), Clock.systemUTC(),
        "--web.listen-address=127.0.0.1:0", "--store.local.path=" + dir.resolve("models"))) {
      int port = Ports.free();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global: {scrape_interval: 1s, evaluation_interval: 1s}
          scrape_configs:
            - job_name: ml-models
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """.formatted(exporter.port()));
      try (RealProcess p = RealProcess.start(List.of(prometheus.toString(), "--config.file=" + config,
              "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port), dir.resolve("prometheus.log"))
          .awaitHttp("http://127.0.0.1:" + port + "/-/ready", Duration.ofSeconds(60))) {
        String query = "time() - ml_training_dataset_last_updated{model=\"resnet50\"}";
        JsonNode result = awaitResult(port, query, p);
        double evaluatedAt = result.path("value").get(0).asDouble();
        double value = result.path("value").get(1).asDouble();
        assertEquals(evaluatedAt - lastUpdated.getEpochSecond(), value, 0.001, "exactly the age at evaluation time");
        double expected = Instant.now().getEpochSecond() - lastUpdated.getEpochSecond();
        assertEquals(expected, value, 120, "about 30 hours");
        assertEquals("ml-models", result.path("metric").path("job").asText());

        JsonNode size = awaitResult(port, "ml_training_dataset_size{model=\"resnet50\"}", p);
        assertEquals(50000, size.path("value").get(1).asDouble());
        JsonNode up = awaitResult(port, "ml_model_exporter_source_up", p);
        assertEquals("local", up.path("metric").path("source").asText());
        assertEquals(1, up.path("value").get(1).asDouble());
      }
    }
  }

  private static JsonNode awaitResult(int port, String query, RealProcess p) {
    String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    try {
      JsonNode body = Poll.until(Duration.ofSeconds(60), "a result for " + query, () -> JSON.readTree(Http.get(url).body()),
          b -> "success".equals(b.path("status").asText()) && b.path("data").path("result").size() > 0);
      JsonNode result = body.path("data").path("result");
      assertEquals(1, result.size(), result.toString());
      return result.get(0);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nprometheus log:\n" + p.output(), e);
    }
  }
}
