package io.promsuite.exporter.ml.source;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MlflowRegistry} against WireMock stubs shaped like MLflow 2.x REST API 2.0 responses. */
class MlflowRegistryTest {
  private static final String API = "/api/2.0/mlflow/";
  private WireMockServer wm;

  @BeforeEach
  void start() {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    // Anything without the right token is refused like an MLflow behind an auth proxy.
    wm.stubFor(get(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(401)
        .withBody("{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"missing token\"}")));
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private static String version(String model, String version, String stage, String runId, long created) {
    return """
        {"name": "%s", "version": "%s", "creation_timestamp": %d, "last_updated_timestamp": %d,
         "current_stage": "%s", "description": "", "source": "mlflow-artifacts:/1/%s/artifacts/model",
         "run_id": "%s", "status": "READY", "run_link": ""}""".formatted(model, version, created, created, stage, runId, runId);
  }

  /** Stubs {@code endpoint} for query parameters given as name, value pairs (a null value: must be absent). */
  private void stub(String endpoint, String body, String... query) {
    var m = get(urlPathEqualTo(API + endpoint)).withHeader("Authorization", equalTo("Bearer s3cret"));
    for (int i = 0; i < query.length; i += 2) {
      m = m.withQueryParam(query[i], query[i + 1] == null ? absent() : equalTo(query[i + 1]));
    }
    wm.stubFor(m.atPriority(1).willReturn(okJson(body)));
  }

  private void stubRegistry() {
    stub("registered-models/search", """
        {"registered_models": [{"name": "fraud", "creation_timestamp": 1714000000000, "last_updated_timestamp": 1714600000000,
          "latest_versions": [%s], "aliases": [{"alias": "champion", "version": "2"}]}],
         "next_page_token": "cGFnZTI="}""".formatted(version("fraud", "3", "Production", "run3", 1714600000000L)), "max_results", "100", "page_token", null);
    stub("registered-models/search", """
        {"registered_models": [{"name": "churn", "creation_timestamp": 1714000000000, "last_updated_timestamp": 1714700000000,
          "latest_versions": [%s]}]}""".formatted(version("churn", "12", "None", "run12", 1714700000000L)), "page_token", "cGFnZTI=");
    stub("model-versions/search", """
        {"model_versions": [%s, %s, %s, %s]}""".formatted(
        version("fraud", "1", "Archived", "run1", 1714100000000L), version("fraud", "2", "Staging", "run2", 1714200000000L),
        version("fraud", "3", "Production", "run3", 1714300000000L), version("fraud", "4", "None", "run4", 1714400000000L)), "filter", "name='fraud'");
    stub("model-versions/search", """
        {"model_versions": [%s], "next_page_token": "djI="}""".formatted(version("churn", "9", "None", "run9", 1714500000000L)), "filter", "name='churn'", "page_token", null);
    stub("model-versions/search", """
        {"model_versions": [%s]}""".formatted(version("churn", "12", "None", "run12", 1714700000000L)), "filter", "name='churn'", "page_token", "djI=");
    stub("runs/get", """
        {"run": {"info": {"run_id": "run3", "status": "FINISHED", "start_time": 1714290000000, "end_time": 1714299000000},
          "data": {"metrics": [
              {"key": "val_accuracy", "value": 0.93, "timestamp": 1714299000000, "step": 10},
              {"key": "val_f1_score", "value": 0.91, "timestamp": 1714299000000, "step": 10},
              {"key": "test/roc_auc", "value": 0.97, "timestamp": 1714299000000, "step": 10},
              {"key": "accuracy", "value": 0.95, "timestamp": 1714299000000, "step": 10},
              {"key": "system/cpu_utilization_percentage", "value": 80, "timestamp": 1714299000000, "step": 0}],
            "params": [{"key": "training_dataset_last_updated", "value": "2024-04-25T00:00:00Z"}],
            "tags": [{"key": "mlflow.runName", "value": "nightly"}]},
          "inputs": {"dataset_inputs": [
              {"tags": [{"key": "mlflow.data.context", "value": "training"}],
               "dataset": {"name": "transactions", "digest": "9c1e", "source_type": "local", "source": "{}",
                           "profile": "{\\"num_rows\\": 125000, \\"num_elements\\": 2500000}"}},
              {"tags": [{"key": "mlflow.data.context", "value": "eval"}],
               "dataset": {"name": "holdout", "digest": "77aa", "source_type": "local", "source": "{}",
                           "profile": "{\\"num_rows\\": 5000}"}}]}}}""", "run_id", "run3");
    stub("artifacts/list", """
        {"root_uri": "mlflow-artifacts:/1/run3/artifacts", "files": [
          {"path": "model/MLmodel", "is_dir": false, "file_size": 512},
          {"path": "model/data", "is_dir": true}], "next_page_token": "YTI="}""", "run_id", "run3", "path", "model", "page_token", null);
    stub("artifacts/list", """
        {"root_uri": "mlflow-artifacts:/1/run3/artifacts", "files": [
          {"path": "model/requirements.txt", "is_dir": false, "file_size": "88"}]}""", "run_id", "run3", "path", "model",
        "page_token", "YTI=");
    stub("artifacts/list", """
        {"root_uri": "mlflow-artifacts:/1/run3/artifacts", "files": [
          {"path": "model/data/model.pkl", "is_dir": false, "file_size": 123456}]}""", "run_id", "run3", "path", "model/data");
    wm.stubFor(get(urlPathEqualTo(API + "artifacts/list")).withQueryParam("run_id", equalTo("run12")).atPriority(1)
        .willReturn(aResponse().withStatus(404)
            .withBody("{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run 'run12' not found\"}")));
    wm.stubFor(get(urlPathEqualTo(API + "runs/get")).withQueryParam("run_id", equalTo("run12")).atPriority(1)
        .willReturn(aResponse().withStatus(404)
            .withBody("{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run 'run12' not found\"}")));
  }

  private MlflowRegistry registry(String alias) {
    return new MlflowRegistry("mlflow", "http://127.0.0.1:" + wm.port(), Duration.ofSeconds(10), () -> "Bearer s3cret",
        alias, "validation");
  }

  @Test
  void followsPageTokensAndReportsTheProductionVersionWithItsRunMetrics() throws Exception {
    stubRegistry();
    Map<String, ModelReading> models = S3StoreTest.byModel(registry(null).read());
    assertEquals(2, models.size(), "both pages of registered models");
    ModelReading fraud = models.get("fraud");
    assertEquals("3", fraud.version(), "stage Production wins over the newer version 4");
    assertEquals("Production", fraud.stage());
    assertEquals(4, fraud.versions());
    assertEquals(1714300000.0, fraud.createdSeconds());
    assertEquals(125000, fraud.datasetSize(), "num_rows of the training dataset input");
    assertEquals(1714003200, fraud.datasetLastUpdatedSeconds());
    assertEquals(List.of(new EvalMetric("val", "accuracy", 0.93), new EvalMetric("val", "f1_score", 0.91),
        new EvalMetric("test", "roc_auc", 0.97), new EvalMetric("validation", "accuracy", 0.95)), fraud.metrics());
    assertEquals(512 + 88 + 123456, fraud.sizeBytes(), "artifacts/list, pages and sub-directories followed");
    assertEquals(0, fraud.errors());

    ModelReading churn = models.get("churn");
    assertEquals("12", churn.version(), "newest by number: 12 > 9, from the second page of versions");
    assertEquals(2, churn.versions());
    assertEquals(2, churn.errors(), "its run and artifacts are gone: reported with what is known plus errors");
    assertEquals(Double.NaN, churn.sizeBytes());
    assertEquals(1714700000.0, churn.createdSeconds());
  }

  @Test
  void servingAliasPicksTheVersionItPointsAt() throws Exception {
    stubRegistry();
    stub("runs/get", """
        {"run": {"info": {"run_id": "run2", "status": "FINISHED"}, "data": {"metrics": [{"key": "accuracy", "value": 0.9}]}}}""", "run_id", "run2");
    ModelReading fraud = S3StoreTest.byModel(registry("champion").read()).get("fraud");
    assertEquals("2", fraud.version());
    assertEquals("Staging", fraud.stage());
    assertEquals(List.of(new EvalMetric("validation", "accuracy", 0.9)), fraud.metrics());
  }

  @Test
  void unchangedModelsAreNotAskedForVersionsAgainAndFinishedRunsAreFetchedOnce() throws Exception {
    stubRegistry();
    MlflowRegistry r = registry(null);
    r.read();
    wm.resetRequests();
    List<ModelReading> again = r.read();
    assertEquals(2, again.size());
    assertEquals(2, wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(API + "registered-models/search")).build()).getCount());
    assertEquals(0, wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(API + "model-versions/search")).build()).getCount());
    assertEquals(1, wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(API + "runs/get")).build()).getCount(),
        "only the missing run is asked for again");
    assertEquals(1, wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(API + "artifacts/list")).build()).getCount(),
        "the artifacts of a registered version are listed once");
  }

  @Test
  void aFailedRunLookupKeepsTheRunsLastGoodMetricsReportsTheVersionUnreadableAndCountsOnce() throws Exception {
    stubRegistry();
    // A run still RUNNING is asked for at every refresh (a finished one is fetched once).
    var run2 = wm.stubFor(get(urlPathEqualTo(API + "runs/get")).withQueryParam("run_id", equalTo("run2")).atPriority(1)
        .willReturn(okJson("""
            {"run": {"info": {"run_id": "run2", "status": "RUNNING"},
              "data": {"metrics": [{"key": "accuracy", "value": 0.9}, {"key": "f1", "value": 0.85}],
                       "params": [{"key": "training_dataset_size", "value": "5000"}]}}}""")));
    MlflowRegistry r = registry("champion");
    ModelReading good = S3StoreTest.byModel(r.read()).get("fraud");
    assertEquals(List.of(), good.unreadableVersions());

    wm.removeStub(run2);  // now answered 401 by the catch-all stub
    for (int refresh = 0; refresh < 3; refresh++) {
      ModelReading fraud = S3StoreTest.byModel(r.read()).get("fraud");
      assertEquals("2", fraud.version(), "the alias still picks version 2");
      assertEquals(good.metrics(), fraud.metrics(), "the run's last good metrics");
      assertEquals(5000, fraud.datasetSize());
      assertEquals(List.of("2"), fraud.unreadableVersions());
      assertEquals(refresh == 0 ? 1 : 0, fraud.errors(), "the failing lookup is counted once while it fails");
    }

    wm.stubFor(get(urlPathEqualTo(API + "runs/get")).withQueryParam("run_id", equalTo("run2")).atPriority(1)
        .willReturn(okJson("""
            {"run": {"info": {"run_id": "run2", "status": "FINISHED"},
              "data": {"metrics": [{"key": "accuracy", "value": 0.91}]}}}""")));
    ModelReading back = S3StoreTest.byModel(r.read()).get("fraud");
    assertEquals(List.of(), back.unreadableVersions());
    assertEquals(List.of(new EvalMetric("validation", "accuracy", 0.91)), back.metrics());
  }

  @Test
  void aFailedVersionListingKeepsTheProductionPin() throws Exception {
    stubRegistry();
    MlflowRegistry r = registry(null);
    assertEquals("3", S3StoreTest.byModel(r.read()).get("fraud").version());
    // The model changed (so its versions are asked for again) and the listing fails.
    stub("registered-models/search", """
        {"registered_models": [{"name": "fraud", "creation_timestamp": 1714000000000, "last_updated_timestamp": 1714900000000,
          "latest_versions": [%s]}]}""".formatted(version("fraud", "5", "None", "run5", 1714900000000L)),
        "max_results", "100", "page_token", null);
    wm.stubFor(get(urlPathEqualTo(API + "model-versions/search")).withQueryParam("filter", equalTo("name='fraud'"))
        .atPriority(1).willReturn(aResponse().withStatus(503)));
    ModelReading fraud = S3StoreTest.byModel(r.read()).get("fraud");
    assertEquals("3", fraud.version(), "Production from the last listing, not the newest version 5");
    assertEquals(5, fraud.versions(), "the last listing and the new latest version");
    assertEquals(1, fraud.errors());
    assertEquals(0, S3StoreTest.byModel(r.read()).get("fraud").errors(), "counted once while it fails");
  }

  @Test
  void wrongCredentialsFailTheSourceWithMlflowsErrorCode() {
    stubRegistry();
    MlflowRegistry r = new MlflowRegistry("mlflow", "http://127.0.0.1:" + wm.port(), Duration.ofSeconds(10),
        () -> "Bearer wrong", null, "validation");
    IOException e = assertThrows(IOException.class, r::read);
    assertTrue(e.getMessage().contains("HTTP 401 UNAUTHENTICATED"), e.getMessage());
    assertTrue(!e.getMessage().contains("wrong"), "the token never appears in errors");
  }

  @Test
  void unreachableServerNamesTheEndpointAndAddress() {
    int closed = io.promsuite.exporter.common.testing.Ports.free();
    MlflowRegistry r = new MlflowRegistry("mlflow", "http://127.0.0.1:" + closed, Duration.ofSeconds(5), null, null, "validation");
    IOException e = assertThrows(IOException.class, r::read);
    assertTrue(e.getMessage().startsWith("registered-models/search at http://127.0.0.1:" + closed + ": "), e.getMessage());
  }

  @Test
  void basicAuthIsSent() throws Exception {
    wm.stubFor(get(urlPathEqualTo(API + "registered-models/search"))
        .withBasicAuth("reader", "pa:ss").atPriority(1).willReturn(okJson("{}")));
    var factory = new io.promsuite.exporter.ml.config.SourceFactory(List.of());
    var config = new io.promsuite.exporter.ml.config.SourceConfig(null, "mlflow", null, null, null, null, null, null, null,
        null, "http://127.0.0.1:" + wm.port(), null, null, new io.promsuite.exporter.common.config.http.BasicAuth("reader", new io.promsuite.exporter.common.config.http.Secret("pa:ss"), null),
        null, null, null);
    assertEquals(List.of(), factory.create(config).read());
  }
}
