package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The reference Prometheus configuration and rules at work in a real Prometheus ({@link ReferenceStack}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRuntimeTest {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** Two scrapes and three chained 30 s rule groups (objective, rates, ratios) on a loaded machine. */
  private static final Duration FIRST_DATA = Duration.ofSeconds(150);

  private ReferenceStack stack;
  private Path tmp;

  @BeforeAll
  void startTheStack(@TempDir Path tmp) {
    this.tmp = tmp;
    stack = ReferenceStack.start(tmp);
  }

  @AfterAll
  void stopTheStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private PrometheusServer prometheus() {
    return stack.prometheus();
  }

  @Test
  void everyTargetOfTheReferenceConfigIsScrapedSuccessfully() {
    Map<String, String> health = new TreeMap<>();
    Http.await(FIRST_DATA, () -> "all 12 targets up, last seen " + health, () -> {
      health.clear();
      for (JsonNode t : prometheus().api("/api/v1/targets?state=active").get("activeTargets")) {
        health.put(t.at("/labels/job").asText() + " " + t.at("/labels/instance").asText(),
            t.get("health").asText() + " " + t.get("lastError").asText());
      }
      return health.size() == 12 && health.values().stream().allMatch(h -> h.equals("up "));
    });
    assertEquals(Set.of("alertmanager", "blackbox-dns", "blackbox-http", "blackbox-icmp", "blackbox-tcp",
            "container-exporter", "host-exporter", "inference-gateway", "ml-model-exporter", "prometheus", "pushgateway"),
        new TreeSet<>(health.keySet().stream().map(k -> k.split(" ")[0]).toList()));
  }

  @Test
  void everyRuleEvaluatesWithoutError() {
    Map<String, String> notYet = new TreeMap<>();
    Http.await(FIRST_DATA, () -> "every rule evaluated once, still waiting for " + notYet, () -> {
      notYet.clear();
      for (JsonNode group : prometheus().api("/api/v1/rules").get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          String name = group.get("name").asText() + "/" + rule.get("name").asText();
          if (!rule.path("lastError").asText().isEmpty() || rule.get("health").asText().equals("err")) {
            fail(name + " failed to evaluate: " + rule.path("lastError").asText());
          }
          if (!rule.get("health").asText().equals("ok")) {
            notYet.put(name, rule.get("health").asText());
          }
        }
      }
      return notYet.isEmpty();
    });
    JsonNode groups = prometheus().api("/api/v1/rules").get("groups");
    assertEquals(37, countRules(groups), "rules loaded from slo.yml (26) and suite.yml (11)");
  }

  private static int countRules(JsonNode groups) {
    int n = 0;
    for (JsonNode g : groups) {
      n += g.get("rules").size();
    }
    return n;
  }

  @Test
  void blackboxJobsProbeTheirTargetsThroughTheRelabelling() {
    Map<String, String> success = new TreeMap<>();
    Http.await(FIRST_DATA, () -> "probe_success 1 for every module, last seen " + success, () -> {
      success.clear();
      for (JsonNode s : prometheus().query("probe_success").get("result")) {
        success.put(s.at("/metric/job").asText() + " " + s.at("/metric/module").asText() + " "
            + s.at("/metric/instance").asText(), s.at("/value/1").asText());
      }
      return success.size() == 5 && success.values().stream().allMatch("1"::equals);
    });
    assertEquals(Set.of("blackbox-http http_2xx", "blackbox-tcp tcp_connect", "blackbox-dns dns", "blackbox-icmp icmp"),
        new TreeSet<>(success.keySet().stream().map(k -> k.substring(0, k.lastIndexOf(' '))).toList()));
  }

  /** Waits until the last level of the chained SLO groups has a value, and returns it. */
  private double awaitSloRatio() {
    double[] ratio = {Double.NaN};
    Http.await(FIRST_DATA, () -> "slo:availability:ratio_rate5m, last " + ratio[0], () -> {
      JsonNode result = prometheus().query("slo:availability:ratio_rate5m{job=\"inference-gateway\"}").get("result");
      if (result.isEmpty()) {
        return false;
      }
      ratio[0] = result.get(0).at("/value/1").asDouble();
      return !Double.isNaN(ratio[0]);
    });
    return ratio[0];
  }

  @Test
  void sloRulesComputeTheGatewaysAvailability() {
    double ratio = awaitSloRatio();
    // 1 failure in 101 requests: 0.990099 (scrape timing jitter moves only the last digits).
    assertEquals(100.0 / 101.0, ratio, 0.001);
    JsonNode objective = prometheus().query("slo:availability:objective").get("result");
    assertEquals("0.995", objective.get(0).at("/value/1").asText());
  }

  @Test
  void pushedBatchJobKeepsItsJobLabelAndAlertsWhenStale() {
    Set<String> alerts = new TreeSet<>();
    Http.await(FIRST_DATA, () -> "pending alerts for the stale job, model and full container; saw " + alerts, () -> {
      alerts.clear();
      for (JsonNode a : prometheus().api("/api/v1/alerts").get("alerts")) {
        alerts.add(a.at("/labels/alertname").asText() + " " + a.at("/labels/service").asText());
      }
      return alerts.containsAll(Set.of("BatchJobNotSucceededRecently nightly-training", "MLModelStale resnet50",
          "ContainerMemoryNearLimit inference-gateway"));
    });
    // honor_labels: the job label is the batch job's, not "pushgateway".
    JsonNode pushed = prometheus().query("nightly_training_last_success_timestamp_seconds").get("result");
    assertEquals("nightly-training", pushed.get(0).at("/metric/job").asText());
    // 100 good to 1 bad is a burn rate of about 2: neither SLO alert may be pending.
    assertTrue(alerts.stream().noneMatch(a -> a.startsWith("SLOAvailability")), alerts.toString());
  }

  /**
   * Every query of every dashboard in packaging/grafana parses and returns what its panel draws;
   * the SLO dashboard's queries also return data, since its series exist here.
   */
  @Test
  void everyDashboardQueryParsesAndReturnsThePanelsResultType() {
    awaitSloRatio();
    // The burn-rate panels also need the other recording rules' first evaluation: poll, not once.
    DashboardQueries.Outcome[] outcome = {null};
    Http.await(FIRST_DATA, () -> "every dashboard query to answer, last problems " + outcome[0].problems(), () -> {
      outcome[0] = DashboardQueries.check(prometheus(), "inference-gateway", "promsuite-slo");
      return outcome[0].problems().isEmpty();
    });
    assertEquals(List.of(), outcome[0].problems());
    assertTrue(outcome[0].checked() >= 25, "only " + outcome[0].checked() + " dashboard queries found");
  }

  @Test
  void alertsGoToTheConfiguredAlertmanager() {
    Http.await(STARTUP, "Alertmanager discovered", () -> {
      JsonNode active = prometheus().api("/api/v1/alertmanagers").get("activeAlertmanagers");
      return active.size() == 1
          && active.get(0).get("url").asText().equals("http://127.0.0.1:" + stack.alertmanagerPort() + "/api/v2/alerts");
    });
  }

  /**
   * federation.yml as the global server above this one (its three regional targets all pointed at
   * the stack's Prometheus): it collects the slo:* series and the gateway's requests with the
   * regional labels kept, and nothing else.
   */
  @Test
  void globalPrometheusFederatesTheSloSeriesWithTheirRegionalLabels() {
    awaitSloRatio();
    String config = Packaging.read(Packaging.file("prometheus/federation.yml"));
    for (String region : List.of("'prometheus-us-east:9090'", "'prometheus-eu:9090'", "'prometheus-apac:9090'")) {
      config = Packaging.rewrite(config, region, "'127.0.0.1:" + prometheus().port() + "'");
    }
    // Every 5 s instead of 60 s only so the test does not wait a minute for the first scrape.
    config = Packaging.rewrite(config, "    scrape_interval: 60s\n    scrape_timeout: 50s\n",
        "    scrape_interval: 5s\n    scrape_timeout: 4s\n");
    Path file = Packaging.write(tmp.resolve("federation.yml"), config);
    try (PrometheusServer global = PrometheusServer.start("prometheus-global", tmp, file, Http.freePort())) {
      Map<String, String> regions = new TreeMap<>();
      Http.await(FIRST_DATA, () -> "federated slo:availability:objective from 3 regions, saw " + regions, () -> {
        regions.clear();
        for (JsonNode s : global.query("slo:availability:objective").get("result")) {
          regions.put(s.at("/metric/federated_from").asText(),
              s.at("/metric/region").asText() + " " + s.at("/metric/job").asText() + " " + s.at("/value/1").asText());
        }
        return regions.size() == 3;
      });
      // honor_labels: region and job are the regional server's (its external label and the rule's job).
      assertEquals(Map.of("apac", "local inference-gateway 0.995", "eu", "local inference-gateway 0.995",
          "us-east", "local inference-gateway 0.995"), regions);
      assertEquals(3, global.query("http_requests_total{job=\"inference-gateway\",status=\"500\"}").get("result").size());
      assertEquals(0, global.query("node_load1").get("result").size(), "host metrics are not federated");
      assertEquals(0, global.query("up{job=\"host-exporter\"}").get("result").size(), "nor other jobs' series");
    }
  }

  /** The VictoriaMetrics example's write_relabel_configs let only slo:* and the gateway's requests out. */
  @Test
  void remoteWriteExampleShipsOnlySloSeriesAndGatewayRequests() {
    awaitSloRatio();
    PrometheusServer receiver = stack.remoteWriteReceiver();
    Http.await(FIRST_DATA, "slo:availability:objective written to the receiver",
        () -> !receiver.query("slo:availability:objective").get("result").isEmpty());
    Http.await(FIRST_DATA, "http_requests_total written to the receiver",
        () -> !receiver.query("http_requests_total{job=\"inference-gateway\"}").get("result").isEmpty());
    Set<String> names = new TreeSet<>();
    receiver.api("/api/v1/label/__name__/values").forEach(n -> names.add(n.asText()));
    assertTrue(names.stream().allMatch(n -> n.startsWith("slo:") || n.equals("http_requests_total")),
        "series outside the keep filter reached remote storage: " + names);
  }

  /**
   * The Thanos and Mimir examples send Prometheus remote write requests to their endpoints. (Mimir's
   * X-Scope-OrgID header is not checked: Debian's prometheus 2.42.0+ds does not send remote_write
   * headers at all, prometheus/prometheus#13030; upstream builds do.)
   */
  @Test
  void remoteWriteExamplesReachThanosAndMimirEndpoints() {
    LoopbackHttp sink = stack.remoteWriteSink();
    Http.await(FIRST_DATA, "remote write to /api/v1/receive and /api/v1/push",
        () -> !sink.requests("/api/v1/receive").isEmpty() && !sink.requests("/api/v1/push").isEmpty());
    for (String path : List.of("/api/v1/receive", "/api/v1/push")) {
      LoopbackHttp.Request write = sink.requests(path).getFirst();
      assertEquals("POST", write.method());
      assertEquals("snappy", write.header("Content-Encoding"), path);
      assertEquals("application/x-protobuf", write.header("Content-Type"), path);
      assertTrue(write.body().length() > 20, path + ": empty write request");
    }
  }
}
