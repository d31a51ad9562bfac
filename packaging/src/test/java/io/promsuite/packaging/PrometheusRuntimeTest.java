package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * The real Prometheus running packaging/prometheus/prometheus.yml and its rules, with every
 * target pointed at loopback: the Debian node_exporter, Pushgateway, blackbox_exporter (with
 * packaging/blackbox/blackbox.yml), Alertmanager and dnsmasq, plus small HTTP stand-ins for the
 * inference gateway and for our container and ML exporters (built elsewhere in the suite).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRuntimeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** Two scrapes and three chained 30 s rule groups (objective, rates, ratios) on a loaded machine. */
  private static final Duration FIRST_DATA = Duration.ofSeconds(150);

  private Path tmp;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final long started = System.currentTimeMillis();
  private int prometheusPort;
  private int alertmanagerPort;

  @BeforeAll
  void startTheStack(@TempDir Path tmp) throws IOException {
    this.tmp = tmp;
    String prometheusBinary = Tool.PROMETHEUS.require();
    int nodePort = Http.freePort();
    running.add(waitReady("node_exporter", nodePort, Daemon.start("node-exporter", tmp, List.of(
        Tool.NODE_EXPORTER.require(), "--web.listen-address=127.0.0.1:" + nodePort))));
    int pushgatewayPort = Http.freePort();
    running.add(waitReady("pushgateway", pushgatewayPort, Daemon.start("pushgateway", tmp, List.of(
        Tool.PUSHGATEWAY.require(), "--web.listen-address=127.0.0.1:" + pushgatewayPort))));
    int blackboxPort = Http.freePort();
    running.add(waitReady("blackbox_exporter", blackboxPort, Daemon.start("blackbox-exporter", tmp, List.of(
        Tool.BLACKBOX_EXPORTER.require(), "--config.file=" + Packaging.file("blackbox/blackbox.yml"),
        "--web.listen-address=127.0.0.1:" + blackboxPort))));
    alertmanagerPort = Http.freePort();
    running.add(waitReady("alertmanager", alertmanagerPort, Daemon.start("alertmanager", tmp, List.of(
        Tool.ALERTMANAGER.require(), "--config.file=" + Packaging.file("alertmanager/alertmanager.yml"),
        "--storage.path=" + tmp.resolve("alertmanager-data"), "--cluster.listen-address=",
        "--web.listen-address=127.0.0.1:" + alertmanagerPort))));
    // The resolver the DNS module asks for the gateway's name.
    int dnsPort = Http.freePort();
    Daemon dnsmasq = Daemon.start("dnsmasq", tmp, List.of(Tool.DNSMASQ.require(), "--keep-in-foreground",
        "--conf-file=/dev/null", "--pid-file=", "--no-resolv", "--no-hosts", "--bind-interfaces",
        "--listen-address=127.0.0.1", "--port=" + dnsPort, "--log-facility=-",
        "--address=/inference-gateway.promsuite.internal/127.0.0.1"));
    running.add(dnsmasq);

    // Stand-ins: 100 good and 1 failed request a second, a container at 95 % of its limit, a model
    // 8 days old (stale) whose data is an hour old.
    LoopbackHttp gateway = new LoopbackHttp()
        .serve("/health", () -> "ok").serve("/ready", () -> "ok")
        .serve("/metrics", () -> {
          double seconds = (System.currentTimeMillis() - started) / 1000.0;
          return """
              # TYPE http_requests_total counter
              http_requests_total{status="200"} %s
              http_requests_total{status="500"} %s
              """.formatted(100 * seconds, seconds);
        });
    running.add(gateway);
    LoopbackHttp containers = new LoopbackHttp().serve("/metrics", () -> """
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{id="/docker/abc",image="gw:1",name="inference-gateway"} 9.5e+08
        # TYPE container_spec_memory_limit_bytes gauge
        container_spec_memory_limit_bytes{id="/docker/abc",image="gw:1",name="inference-gateway"} 1e+09
        """);
    running.add(containers);
    LoopbackHttp ml = new LoopbackHttp().serve("/metrics", () -> """
        # TYPE ml_model_age_seconds gauge
        ml_model_age_seconds{model="resnet50"} %d
        # TYPE ml_training_dataset_last_updated gauge
        ml_training_dataset_last_updated{model="resnet50"} %d
        """.formatted(8 * 86400, System.currentTimeMillis() / 1000 - 3600));
    running.add(ml);

    // A nightly job that last succeeded 2 days ago, pushed the way batch jobs push.
    Http.Response pushed = Http.put("http://127.0.0.1:" + pushgatewayPort + "/metrics/job/nightly-training",
        "text/plain", """
            # TYPE nightly_training_last_success_timestamp_seconds gauge
            nightly_training_last_success_timestamp_seconds %d
            """.formatted(System.currentTimeMillis() / 1000 - 2 * 86400));
    assertEquals(200, pushed.status(), pushed.body());

    prometheusPort = Http.freePort();
    String config = Packaging.read(Packaging.file("prometheus/prometheus.yml"));
    Map<String, String> loopback = new TreeMap<>(Map.of(
        "'localhost:9090'", "'127.0.0.1:" + prometheusPort + "'",
        "'alertmanager:9093'", "'127.0.0.1:" + alertmanagerPort + "'",
        "'host-exporter:9100'", "'127.0.0.1:" + nodePort + "'",
        "'container-exporter:8080'", "'" + containers.address() + "'",
        "'ml-model-exporter:9101'", "'" + ml.address() + "'",
        "'pushgateway:9091'", "'127.0.0.1:" + pushgatewayPort + "'",
        "http://inference-gateway:8000/", "http://" + gateway.address() + "/",
        "'inference-gateway:8000'", "'" + gateway.address() + "'",
        "replacement: blackbox-exporter:9115", "replacement: 127.0.0.1:" + blackboxPort,
        "'dns-resolver:53'", "'127.0.0.1:" + dnsPort + "'"));
    loopback.put("['inference-gateway']", "['127.0.0.1']");
    // Scrape every 5 s instead of 15 s only so the rates have two samples sooner; the rule groups
    // keep their own intervals.
    loopback.put("  scrape_interval: 15s\n", "  scrape_interval: 5s\n");
    loopback.put("  scrape_timeout: 10s\n", "  scrape_timeout: 4s\n");
    loopback.put("  - rules/*.yml", "  - " + Packaging.file("prometheus/rules") + "/*.yml");
    for (var rewrite : loopback.entrySet()) {
      config = AlertmanagerRuntimeTest.rewrite(config, rewrite.getKey(), rewrite.getValue());
    }
    assertEverythingPointsAtLoopback(config);
    Path file = Packaging.write(tmp.resolve("prometheus.yml"), config);
    Run.of(tmp, Tool.PROMTOOL.require(), "check", "config", file.toString()).assertSuccess();

    Daemon prometheus = Daemon.start("prometheus", tmp, List.of(prometheusBinary,
        "--config.file=" + file, "--storage.tsdb.path=" + tmp.resolve("prometheus-data"),
        "--storage.tsdb.retention.time=30d", "--web.listen-address=127.0.0.1:" + prometheusPort));
    running.add(prometheus);
    waitReady("prometheus", prometheusPort, prometheus);
    dnsmasq.assertAlive();
  }

  @AfterAll
  void stopTheStack() throws Exception {
    for (AutoCloseable c : running.reversed()) {
      c.close();
    }
  }

  private static Daemon waitReady(String name, int port, Daemon daemon) {
    Http.await(STARTUP, name + " on :" + port, () -> {
      daemon.assertAlive();
      return Http.get("http://127.0.0.1:" + port + "/metrics").status() == 200;
    });
    return daemon;
  }

  /** Every scrape address left in the rewritten file is on loopback: nothing was left unwired. */
  private static void assertEverythingPointsAtLoopback(String config) {
    JsonNode root = Packaging.yaml(config);
    List<String> addresses = new ArrayList<>();
    root.at("/alerting/alertmanagers").forEach(am -> am.get("static_configs")
        .forEach(sc -> sc.get("targets").forEach(t -> addresses.add(t.asText()))));
    for (JsonNode job : root.get("scrape_configs")) {
      job.path("static_configs").forEach(sc -> sc.get("targets").forEach(t -> addresses.add(t.asText())));
      job.path("relabel_configs").forEach(r -> {
        if (r.path("target_label").asText().equals("__address__")) {
          addresses.add(r.get("replacement").asText());
        }
      });
    }
    assertEquals(17, addresses.size(), addresses.toString());
    for (String address : addresses) {
      assertTrue(address.matches("(http://)?127\\.0\\.0\\.1(:\\d+)?(/.*)?"), "not rewired to loopback: " + address);
    }
  }

  private JsonNode api(String path) {
    Http.Response response = Http.get("http://127.0.0.1:" + prometheusPort + path);
    assertEquals(200, response.status(), path + ": " + response.body());
    try {
      return JSON.readTree(response.body()).get("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  @Test
  void everyTargetOfTheReferenceConfigIsScrapedSuccessfully() {
    Map<String, String> health = new TreeMap<>();
    Http.await(FIRST_DATA, () -> "all 12 targets up, last seen " + health, () -> {
      health.clear();
      for (JsonNode t : api("/api/v1/targets?state=active").get("activeTargets")) {
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
      for (JsonNode group : api("/api/v1/rules").get("groups")) {
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
    JsonNode groups = api("/api/v1/rules").get("groups");
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
      for (JsonNode s : query("probe_success").get("result")) {
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
      JsonNode result = query("slo:availability:ratio_rate5m{job=\"inference-gateway\"}").get("result");
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
    JsonNode objective = query("slo:availability:objective").get("result");
    assertEquals("0.995", objective.get(0).at("/value/1").asText());
  }

  @Test
  void pushedBatchJobKeepsItsJobLabelAndAlertsWhenStale() {
    Set<String> alerts = new TreeSet<>();
    Http.await(FIRST_DATA, () -> "pending alerts for the stale job, model and full container; saw " + alerts, () -> {
      alerts.clear();
      for (JsonNode a : api("/api/v1/alerts").get("alerts")) {
        alerts.add(a.at("/labels/alertname").asText() + " " + a.at("/labels/service").asText());
      }
      return alerts.containsAll(Set.of("BatchJobNotSucceededRecently nightly-training", "MLModelStale resnet50",
          "ContainerMemoryNearLimit inference-gateway"));
    });
    // honor_labels: the job label is the batch job's, not "pushgateway".
    JsonNode pushed = query("nightly_training_last_success_timestamp_seconds").get("result");
    assertEquals("nightly-training", pushed.get(0).at("/metric/job").asText());
    // 100 good to 1 bad is a burn rate of about 2: neither SLO alert may be pending.
    assertTrue(alerts.stream().noneMatch(a -> a.startsWith("SLOAvailability")), alerts.toString());
  }

  /**
   * Every query of every dashboard in packaging/grafana parses and returns what its panel draws:
   * a matrix over a range for time series, an instant vector for stat and table panels. The SLO
   * dashboard's queries must also return data, since its series exist here.
   */
  @Test
  void everyDashboardQueryParsesAndReturnsThePanelsResultType() {
    awaitSloRatio();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : Packaging.files("grafana", ".json")) {
      JsonNode dashboard;
      try {
        dashboard = JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(file + " is not JSON", e);
      }
      boolean mustHaveData = dashboard.get("uid").asText().equals("promsuite-slo");
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          String where = file.getFileName() + " panel '" + panel.get("title").asText() + "' " + target.get("refId").asText();
          String expr = target.get("expr").asText()
              .replace("$job", "inference-gateway").replace("$__rate_interval", "1m");
          if (expr.matches("(?s).*\\$(?!\\d).*")) {
            problems.add(where + ": unknown variable in " + expr);
            continue;
          }
          boolean instant = target.path("instant").asBoolean(false);
          String expected = instant ? "vector" : "matrix";
          if (instant != List.of("stat", "table").contains(panel.get("type").asText())) {
            problems.add(where + ": a " + panel.get("type").asText() + " panel with instant=" + instant);
          }
          // The range ends a minute ahead: the newest rule result may be younger than a whole second.
          long now = System.currentTimeMillis() / 1000 + 60;
          String path = instant
              ? "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
              : "/api/v1/query_range?start=" + (now - 600) + "&end=" + now + "&step=15&query="
                  + URLEncoder.encode(expr, StandardCharsets.UTF_8);
          Http.Response response = Http.get("http://127.0.0.1:" + prometheusPort + path);
          checked++;
          if (response.status() != 200) {
            problems.add(where + ": " + expr + " -> HTTP " + response.status() + " " + response.body());
            continue;
          }
          JsonNode data;
          try {
            data = JSON.readTree(response.body()).get("data");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (!data.get("resultType").asText().equals(expected)) {
            problems.add(where + ": " + expr + " returned " + data.get("resultType").asText() + ", the panel needs " + expected);
          } else if (mustHaveData && data.get("result").isEmpty()) {
            problems.add(where + ": " + expr + " returned no series");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(checked >= 25, "only " + checked + " dashboard queries found");
  }

  @Test
  void alertsGoToTheConfiguredAlertmanager() {
    Http.await(STARTUP, "Alertmanager discovered", () -> {
      JsonNode active = api("/api/v1/alertmanagers").get("activeAlertmanagers");
      return active.size() == 1
          && active.get(0).get("url").asText().equals("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts");
    });
  }
}
