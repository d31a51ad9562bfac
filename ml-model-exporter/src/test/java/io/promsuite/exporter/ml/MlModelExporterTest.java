package io.promsuite.exporter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.ml.testing.ModelTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter as users run it: flags, /metrics over HTTP, reload. */
class MlModelExporterTest {
  @TempDir
  Path dir;

  private static Exposition awaitMetrics(MlModelExporter.Running r, Predicate<Exposition> ready) {
    return Poll.until(Duration.ofSeconds(60), "metrics ready",
        () -> Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body()), ready);
  }

  private static boolean hasModel(Exposition e, String model) {
    return e.samples("ml_model_versions").stream().anyMatch(s -> model.equals(s.labels().get("model")));
  }

  @Test
  void readyOnlyOnceTheFirstReadOfTheSourcesHasFinished() throws Exception {
    // An MLflow that accepts connections and never answers: the first refresh hangs until it goes away.
    try (java.net.ServerSocket hanging = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Path config = Files.writeString(dir.resolve("sources.yml"), """
          sources:
            - name: slow
              type: mlflow
              url: http://127.0.0.1:%d
              timeout: 120s
          """.formatted(hanging.getLocalPort()));
      try (MlModelExporter.Running r = MlModelExporter.start(List.of(), Clock.systemUTC(),
          "--web.listen-address=127.0.0.1:0", "--config.file=" + config)) {
        String ready = "http://127.0.0.1:" + r.port() + "/-/ready";
        var notYet = Http.get(ready);
        assertEquals(503, notYet.statusCode());
        assertEquals("Not ready: the first read of the model sources has not finished\n", notYet.body());
        assertEquals(200, Http.get("http://127.0.0.1:" + r.port() + "/-/healthy").statusCode(), "healthy meanwhile");
        hanging.close();
        Poll.until(Duration.ofSeconds(60), "ready (200) once the read failed", () -> Http.get(ready).statusCode(), s -> s == 200);
        assertEquals(0, Exposition.parse(Http.get("http://127.0.0.1:" + r.port() + "/metrics").body())
            .value("ml_model_exporter_source_up", Map.of("source", "slow")));
      }
    }
  }

  @Test
  void withoutConfigServesTheLocalStoreFlag() throws Exception {
    new ModelTree(dir.resolve("models"))
        .version("resnet50", "1", 10, null)
        .version("resnet50", "2", 25, """
            {"stage": "production", "training_dataset": {"size": 1281167, "last_updated": "2024-04-30T00:00:00Z"},
             "evaluation": {"validation": {"accuracy": 0.761, "f1": 0.75, "top5_accuracy": 0.93}}}""");
    try (MlModelExporter.Running r = MlModelExporter.start(List.of(), Clock.systemUTC(),
        "--web.listen-address=127.0.0.1:0", "--store.local.path=" + dir.resolve("models"))) {
      Exposition e = awaitMetrics(r, x -> hasModel(x, "resnet50"));
      Map<String, String> model = Map.of("model", "resnet50");
      assertEquals(25, e.value("ml_model_size_bytes", model));
      assertEquals(2, e.value("ml_model_versions", model));
      assertEquals(1281167, e.value("ml_training_dataset_size", model));
      assertEquals(1714435200, e.value("ml_training_dataset_last_updated", model));
      assertEquals(0.761, e.value("ml_model_accuracy", Map.of("model", "resnet50", "dataset", "validation")));
      assertEquals(0.75, e.value("ml_model_f1_score", Map.of("model", "resnet50", "dataset", "validation")));
      assertEquals(0.93, e.value("ml_model_metric", Map.of("model", "resnet50", "dataset", "validation", "metric", "top5_accuracy")));
      assertEquals(1, e.value("ml_model_info", Map.of("model", "resnet50", "version", "2", "stage", "production", "source", "local")));
      assertEquals(1, e.value("ml_model_exporter_source_up", Map.of("source", "local")));
      assertEquals(0, e.value("ml_model_exporter_source_errors_total", Map.of("source", "local")));
      assertEquals(1, e.value("ml_model_scrape_collector_success", Map.of("collector", "models")));
      double age = e.value("ml_model_age_seconds", model);
      assertTrue(age >= 0 && age < 600, "artifact written just now, age " + age);
      assertEquals("gauge", e.types.get("ml_model_age_seconds"));
    }
  }

  @Test
  void reloadSwitchesSourcesAndABadConfigKeepsTheOldOnes() throws Exception {
    new ModelTree(dir.resolve("a")).version("fraud", "1", 3, null);
    new ModelTree(dir.resolve("b")).version("churn", "1", 4, null);
    Path config = dir.resolve("ml.yml");
    Files.writeString(config, "sources:\n  - {name: team-a, type: local, path: '" + dir.resolve("a") + "'}\n");
    try (MlModelExporter.Running r = MlModelExporter.start(List.of(), Clock.systemUTC(),
        "--web.listen-address=127.0.0.1:0", "--config.file=" + config, "--refresh.interval=1h")) {
      awaitMetrics(r, x -> hasModel(x, "fraud"));

      Files.writeString(config, "sources:\n  - {name: team-b, type: local, path: '" + dir.resolve("b") + "'}\n");
      assertEquals(200, Http.post("http://127.0.0.1:" + r.port() + "/-/reload", "").statusCode());
      Exposition e = awaitMetrics(r, x -> hasModel(x, "churn"));
      assertTrue(!hasModel(e, "fraud"), "the removed source's models are gone");
      assertEquals(1, e.value("ml_model_exporter_source_up", Map.of("source", "team-b")));

      Files.writeString(config, "sources:\n  - {name: team-c, type: lcoal, path: /x}\n");
      var resp = Http.post("http://127.0.0.1:" + r.port() + "/-/reload", "");
      assertEquals(500, resp.statusCode());
      assertTrue(resp.body().contains(config + ":2"), resp.body());
      assertTrue(resp.body().contains("unknown type \"lcoal\""), resp.body());
      e = awaitMetrics(r, x -> hasModel(x, "churn"));
      assertEquals(0, e.value("ml_model_config_last_reload_successful", Map.of()));
    }
  }

  @Test
  void reloadKeepsUnchangedSourcesWithTheirState() throws Exception {
    new ModelTree(dir.resolve("b")).version("churn", "1", 4, null);
    Path config = dir.resolve("ml.yml");
    String missing = "  - {name: gone, type: local, path: '" + dir.resolve("missing") + "'}\n";
    Files.writeString(config, "sources:\n" + missing);
    try (MlModelExporter.Running r = MlModelExporter.start(List.of(), Clock.systemUTC(),
        "--web.listen-address=127.0.0.1:0", "--config.file=" + config, "--refresh.interval=1h")) {
      awaitMetrics(r, x -> x.value("ml_model_exporter_source_errors_total", Map.of("source", "gone")) == 1);
      Files.writeString(config, "sources:\n" + missing + "  - {name: team-b, type: local, path: '" + dir.resolve("b") + "'}\n");
      assertEquals(200, Http.post("http://127.0.0.1:" + r.port() + "/-/reload", "").statusCode());
      Exposition e = awaitMetrics(r, x -> hasModel(x, "churn"));
      assertEquals(2, e.value("ml_model_exporter_source_errors_total", Map.of("source", "gone")),
          "the unchanged source kept its counter (and caches): 1 failure before the reload, 1 after");
    }
  }

  @Test
  void badConfigAtStartupNamesFileAndLine() throws Exception {
    Path config = dir.resolve("ml.yml");
    Files.writeString(config, "sources:\n  - type: s3\n    bucket: models\n    regoin: eu-west-1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> MlModelExporter.start(List.of(), Clock.systemUTC(),
        "--web.listen-address=127.0.0.1:0", "--config.file=" + config));
    assertTrue(e.getMessage().startsWith(config + ":4"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field \"regoin\""), e.getMessage());
  }
}
