package io.promsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.e2e.receivers.Notification;
import io.promsuite.e2e.receivers.WebhookReceivers;
import io.promsuite.e2e.stack.PrometheusConfigs;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.pushgateway.FlushResult;
import io.promsuite.pushgateway.PushResult;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The architecture document's data flow run for real on loopback: targets -> two Prometheus
 * servers (scrape, the SLO recording rules, the alert rules, all generated from packaging/ with
 * their windows scaled down 60x) -> a two-node Alertmanager cluster (the reference routing tree and
 * inhibitions) -> local receivers standing in for PagerDuty, Slack and email; plus a global
 * Prometheus federating the SLO series. The tests run in order on one stack: healthy traffic,
 * an outage, healing with faults injected meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndStackTest {
  private static final double RATE = 1000;
  private static final double BASE_ERROR_RATIO = 0.004;
  private static final double OBJECTIVE = 0.995;
  private static final String FAST = "SLOAvailabilityFastBurn";
  private static final String SLOW = "SLOAvailabilitySlowBurn";

  private E2eStack stack;
  private PromApi a;
  private PromApi b;
  private PromApi global;
  private AlertmanagerApi am1;
  private AlertmanagerApi am2;
  private WebhookReceivers rx;

  @BeforeAll
  void startStack() throws Exception {
    stack = E2eStack.start(RATE, BASE_ERROR_RATIO);
    a = stack.a;
    b = stack.b;
    global = stack.global;
    am1 = stack.am1;
    am2 = stack.am2;
    rx = stack.rx;
  }

  /** A failed test keeps the work directory (logs, configs); a passing run deletes it. */
  @RegisterExtension
  final TestWatcher failures = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (stack != null) {
        stack.keepFiles();
      }
    }
  };

  @AfterAll
  void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(10)
  void everyJobsTargetsAreUpOnBothReplicas() throws Exception {
    Set<String> jobs = new TreeSet<>(PrometheusConfigs.jobs(Files.readString(stack.workDir.resolve("prometheus-a.yml"))).keySet());
    assertTrue(jobs.containsAll(List.of("prometheus", "host-exporter", "container-exporter", "blackbox-http", "blackbox-tcp",
        "blackbox-dns", "blackbox-icmp", "ml-model-exporter", "pushgateway", "inference-gateway")), "reference jobs: " + jobs);
    for (PromApi p : List.of(a, b)) {
      Poll.untilOk(Duration.ofSeconds(60), "every job up on " + p.name(), () -> {
        Map<String, Double> up = p.byLabel("min by (job) (up)", "job");
        assertEquals(jobs, new TreeSet<>(up.keySet()), p.name() + " jobs");
        up.forEach((job, v) -> assertEquals(1.0, v, p.name() + ": up of job " + job));
        return up;
      });
    }
    // The probes themselves succeed (the blackbox exporter reached the gateway, dnsmasq, ICMP).
    Poll.untilOk(Duration.ofSeconds(30), "every blackbox module probing successfully", () -> {
      Map<String, Double> probes = a.byLabel("min by (job) (probe_success)", "job");
      assertEquals(Map.of("blackbox-http", 1.0, "blackbox-tcp", 1.0, "blackbox-dns", 1.0, "blackbox-icmp", 1.0), probes);
      return probes;
    });
    // Each exporter's own metrics arrive, not just an answer.
    // Awaited, not read once: exporter-common skips a collector for a scrape that overlaps
    // another one of the same exporter, which the HA pair's scrapes sometimes do (see docs/e2e.md).
    Poll.untilPasses(Duration.ofSeconds(30), "host-exporter's CPU series in Prometheus", () -> assertTrue(a.value("count(node_cpu_seconds_total{job=\"host-exporter\"})") > 0));
    Poll.untilPasses(Duration.ofSeconds(30), "container-exporter reaching its dockerd", () -> assertEquals(1.0, a.value("container_exporter_docker_up{job=\"container-exporter\"}")));
    // The container in the private dockerd, as cAdvisor would name it.
    Poll.untilPasses(Duration.ofSeconds(30), "the demo container's memory limit", () -> assertEquals((double) E2eStack.DEMO_MEMORY_LIMIT,
        a.value("container_spec_memory_limit_bytes{name=\"" + E2eStack.DEMO_CONTAINER + "\"}")));
    Poll.untilPasses(Duration.ofSeconds(30), "the demo container's working set", () ->
        assertTrue(a.value("container_memory_working_set_bytes{name=\"" + E2eStack.DEMO_CONTAINER + "\"}") > 0));
  }

  @Test
  @Order(20)
  void sloRecordingRulesMatchTheInjectedTraffic() throws Exception {
    double burn = BASE_ERROR_RATIO / (1 - OBJECTIVE);
    for (PromApi p : List.of(a, b)) {
      Poll.untilOk(Duration.ofSeconds(90), "the SLO recording rules on " + p.name(), () -> {
        assertEquals(OBJECTIVE, p.value("slo:availability:objective"), 1e-12);
        // Rates over the short window (rate() over a window longer than the data so far would
        // read low); ratios over every window, which the fill does not bias.
        assertEquals(RATE, p.value("slo:http:request_rate:5m"), RATE * 0.1, p.name() + " request rate");
        assertEquals(RATE * BASE_ERROR_RATIO, p.value("slo:http:error_rate:5m"), RATE * BASE_ERROR_RATIO * 0.3, p.name() + " error rate");
        assertEquals(BASE_ERROR_RATIO, p.value("slo:http:error_rate:1h / slo:http:request_rate:1h"), 0.0004, p.name() + " error ratio 1h");
        assertEquals(1 - BASE_ERROR_RATIO, p.value("slo:availability:ratio_rate1h"), 0.0004, p.name() + " availability 1h");
        assertEquals(1 - BASE_ERROR_RATIO, p.value("slo:availability:ratio_rate30d"), 0.0004, p.name() + " availability 30d");
        assertEquals(burn, p.value("slo:availability:burn_rate:1h"), 0.08, p.name() + " burn rate 1h");
        assertEquals(burn, p.value("slo:availability:burn_rate:6h"), 0.08, p.name() + " burn rate 6h");
        assertEquals(1 - burn, p.value("slo:availability:error_budget_remaining"), 0.08, p.name() + " error budget left");
        return null;
      });
    }
    assertEquals(0, a.query("ALERTS{alertname=~\"SLO.*\"}").size(), "no SLO alert at a burn rate of " + burn);
  }

  @Test
  @Order(40)
  void aStaleModelWarnsTheMlChannelOnly() throws Exception {
    Poll.untilPasses(Duration.ofSeconds(30), "the model ages", () -> {
      assertTrue(a.value("ml_model_age_seconds{model=\"resnet50\"}") > 7 * 86400);
      assertTrue(a.value("ml_model_age_seconds{model=\"bert-base\"}") < 3600);
    });
    // Exactly one: the HA pair's overlapping scrapes share one collector run, so the alert does not flap.
    Notification n = Poll.untilOk(Duration.ofSeconds(90), "one MLModelStale notification to slack-ml-team", () -> {
      List<Notification> got = stack.notes("slack-ml-team", "MLModelStale", "firing");
      assertEquals(1, got.size(), "MLModelStale notifications to slack-ml-team: " + got);
      return got.getFirst();
    });
    assertEquals("resnet50", n.groupLabels().get("service"));
    assertEquals(1, n.alerts().size(), "only the stale model: " + n.alerts());
    assertEquals("resnet50", n.alerts().getFirst().labels().get("model"));
    stack.assertOnlyTold("MLModelStale", "slack-ml-team");
  }

  @Test
  @Order(30)
  void anOutagePagesOnceThroughTheHaPairAndInhibitsTheSlowBurn() throws Exception {
    stack.setErrorRatio(1);
    for (PromApi p : List.of(a, b)) {
      Poll.untilPasses(Duration.ofSeconds(60), FAST + " firing on " + p.name(), () -> assertEquals(1.0,
          p.value("ALERTS{alertname=\"" + FAST + "\",alertstate=\"firing\"}"), p.name()));
    }
    assertEquals(1.0, a.value("max_over_time(ALERTS{alertname=\"" + FAST + "\",alertstate=\"pending\"}[5m])"),
        "the fast burn was pending before it fired");
    for (AlertmanagerApi am : List.of(am1, am2)) {
      Poll.untilOk(Duration.ofSeconds(30), "one active " + FAST + " alert on " + am.name(), () -> {
        List<JsonNode> alerts = am.alerts(FAST);
        assertEquals(1, alerts.size(), am.name() + ": one alert from two Prometheus servers: " + alerts);
        assertEquals("active", alerts.getFirst().path("status").path("state").asText());
        assertFalse(alerts.getFirst().path("labels").has("replica"), "the replica label is dropped from alerts");
        return null;
      });
    }
    for (String r : List.of("pagerduty", "slack-critical")) {
      Poll.untilPasses(Duration.ofSeconds(30), "one " + FAST + " page to " + r, () -> assertEquals(1, stack.notes(r, FAST, "firing").size(), r));
    }
    // The slow burn fires too, and both Alertmanagers hold it back behind the fast burn.
    Poll.untilPasses(Duration.ofSeconds(60), SLOW + " firing", () -> assertEquals(1.0, a.value("ALERTS{alertname=\"" + SLOW + "\",alertstate=\"firing\"}")));
    for (AlertmanagerApi am : List.of(am1, am2)) {
      Poll.untilOk(Duration.ofSeconds(30), SLOW + " suppressed on " + am.name(), () -> {
        List<JsonNode> alerts = am.alerts(SLOW);
        assertEquals(1, alerts.size(), am.name() + ": " + alerts);
        assertEquals("suppressed", alerts.getFirst().path("status").path("state").asText(), am.name() + ": " + alerts);
        assertTrue(alerts.getFirst().path("status").path("inhibitedBy").size() > 0, am.name() + ": " + alerts);
        return null;
      });
    }
    // Longer than a group interval (10 s) plus the second node's wait (2 s): still one page each,
    // one alert in it, and nothing about the slow burn anywhere.
    Poll.holds(Duration.ofSeconds(13), "one page each, nothing about the slow burn", () -> {
      for (String r : List.of("pagerduty", "slack-critical")) {
        List<Notification> got = stack.notes(r, FAST, "firing");
        assertEquals(1, got.size(), r + ": " + got);
        assertEquals(1, got.getFirst().alerts().size(), r + ": " + got);
        assertEquals(Map.of("alertname", FAST, "service", "inference-gateway", "severity", "critical"), got.getFirst().groupLabels());
      }
      stack.assertOnlyTold(SLOW);
      stack.assertOnlyTold(FAST, "pagerduty", "slack-critical");
    });
  }

  @Test
  @Order(45)
  void aBatchJobsPushIsQueryableWithTheJobsOwnLabels() throws Exception {
    assertEquals(PushResult.SENT, stack.runBatchJob("nightly-training", "run-123", "training_loss", 0.05));
    for (PromApi p : List.of(a, b)) {
      Poll.untilPasses(Duration.ofSeconds(30), "training_loss pushed and scraped on " + p.name(), () -> {
        JsonNode r = p.query("training_loss");
        assertEquals(1, r.size(), p.name() + ": " + r);
        // honor_labels: the job's own job and instance, not the Pushgateway's.
        assertEquals("nightly-training", r.get(0).path("metric").path("job").asText());
        assertEquals("run-123", r.get(0).path("metric").path("instance").asText());
        assertEquals(0.05, r.get(0).path("value").get(1).asDouble());
      });
    }
    double now = System.currentTimeMillis() / 1000.0;
    assertEquals(now, a.value("nightly_training_last_success_timestamp_seconds{job=\"nightly-training\"}"), 60);
    assertEquals(0, a.query("ALERTS{alertname=~\"BatchJobNotSucceededRecently|PushgatewayPushFailing\"}").size());
  }

  @Test
  @Order(50)
  void aSilenceCreatedThroughTheApiSuppressesTheNotification() throws Exception {
    // Heal now: the fast burn resolves once the outage leaves the scaled 1h window (a minute),
    // while the following tests inject their faults.
    stack.setErrorRatio(BASE_ERROR_RATIO);
    String id = am1.silence(Map.of("alertname", "TargetDown", "job", "host-exporter"), Duration.ofMinutes(10),
        "e2e: host-exporter maintenance");
    Poll.untilPasses(Duration.ofSeconds(20), "the silence gossiped to the second Alertmanager", () -> assertEquals("active", am2.silenceState(id), "silence gossiped to the other node"));
    stack.kill("host-exporter");
    Poll.untilPasses(Duration.ofSeconds(20), "host-exporter down in Prometheus", () -> assertEquals(0.0, a.value("up{job=\"host-exporter\"}")));
    Poll.untilPasses(Duration.ofSeconds(30), "TargetDown firing for host-exporter", () -> assertEquals(1.0,
        a.value("ALERTS{alertname=\"TargetDown\",job=\"host-exporter\",alertstate=\"firing\"}")));
    for (AlertmanagerApi am : List.of(am1, am2)) {
      Poll.untilOk(Duration.ofSeconds(30), "TargetDown for host-exporter silenced on " + am.name(), () -> {
        List<JsonNode> alerts = am.alerts("TargetDown").stream().filter(x -> x.path("labels").path("job").asText().equals("host-exporter")).toList();
        assertEquals(1, alerts.size(), am.name() + ": " + alerts);
        assertEquals("suppressed", alerts.getFirst().path("status").path("state").asText());
        assertEquals(id, alerts.getFirst().path("status").path("silencedBy").path(0).asText());
        return null;
      });
    }
    // Past group_wait and the second node's wait: nobody was told.
    Poll.holds(Duration.ofSeconds(4), "no notification about the silenced host-exporter", () -> {
      assertEquals(List.of(), rx.of("slack-infra-team", n -> "host-exporter".equals(n.groupLabels().get("service"))));
    });
    stack.restart("host-exporter");
    Poll.untilPasses(Duration.ofSeconds(30), "host-exporter up again", () -> assertEquals(1.0, a.value("up{job=\"host-exporter\"}")));
  }

  @Test
  @Order(60)
  void killedPartsAreReportedOnceWhileTheOthersKeepWorking() throws Exception {
    List<String> wave1 = List.of("ml-model-exporter", "pushgateway", "container-exporter");
    stack.kill(wave1.toArray(String[]::new));
    stack.expectDown(wave1, List.of("host-exporter", "inference-gateway", "blackbox-tcp", "prometheus"));
    for (String job : wave1) {
      Poll.untilPasses(Duration.ofSeconds(40), "TargetDown firing for " + job, () -> assertEquals(1, stack.notesFor("slack-infra-team", "TargetDown", job, "firing").size(), job));
    }
    // A batch job finishing while the gateway is down: its push waits in the client's spool.
    assertEquals(PushResult.SPOOLED, stack.runBatchJob("feature-backfill", "run-7", "backfill_rows", 1234));
    double restarted = System.currentTimeMillis() / 1000.0;
    stack.restart(wave1.toArray(String[]::new));
    FlushResult flushed = stack.pushClient.flush();
    assertEquals(1, flushed.delivered(), "spooled push re-sent: " + flushed);
    assertEquals(0, flushed.remaining());
    // The earlier push survived the SIGKILL in the persistence file; the spooled one arrived.
    Poll.untilPasses(Duration.ofSeconds(30), "training_loss scraped from the restarted Pushgateway", () -> {
      assertTrue(a.value("timestamp(training_loss{job=\"nightly-training\",instance=\"run-123\"})") > restarted,
          "scraped from the restarted Pushgateway");
      assertEquals(0.05, a.value("training_loss{job=\"nightly-training\"}"));
      assertEquals(1234, a.value("backfill_rows{job=\"feature-backfill\",instance=\"run-7\"}"));
    });
    // Wave 2: the blackbox exporter and one Alertmanager; the other one alone notifies.
    List<String> probes = List.of("blackbox-tcp", "blackbox-dns", "blackbox-icmp");
    stack.kill("blackbox-exporter", "alertmanager-2");
    stack.expectDown(List.of("blackbox-http", "blackbox-tcp", "blackbox-dns", "blackbox-icmp"), wave1);
    for (String job : probes) {
      Poll.untilPasses(Duration.ofSeconds(40), "TargetDown firing for " + job, () -> assertEquals(1, stack.notesFor("slack-infra-team", "TargetDown", job, "firing").size(), job));
    }
    stack.restart("blackbox-exporter", "alertmanager-2");
    for (PromApi p : List.of(a, b)) {
      Poll.untilOk(Duration.ofSeconds(30), "every job up again on " + p.name(), () -> {
        p.byLabel("min by (job) (up)", "job").forEach((job, v) -> assertEquals(1.0, v, p.name() + ": up of " + job + " after restarts"));
        return null;
      });
    }
    List<String> single = List.of("ml-model-exporter", "pushgateway", "container-exporter", "blackbox-tcp", "blackbox-dns", "blackbox-icmp");
    for (String job : single) {
      Poll.untilPasses(Duration.ofSeconds(40), "TargetDown resolved for " + job, () -> assertEquals(1, stack.notesFor("slack-infra-team", "TargetDown", job, "resolved").size(), job));
    }
    Poll.untilOk(Duration.ofSeconds(40), "TargetDown resolved for blackbox-http", () -> {
      List<Notification> http = rx.of("slack-infra-team", n -> n.isAbout("TargetDown") && "blackbox-http".equals(n.groupLabels().get("service")));
      assertFalse(http.isEmpty());
      assertEquals("resolved", http.getLast().status(), "both http probe targets back: " + http);
      return null;
    });
    // The restarted Alertmanager learnt the notification log from its peer: nothing is sent twice.
    Poll.holds(Duration.ofSeconds(5), "each TargetDown sent once, nothing twice", () -> {
      for (String job : single) {
        assertEquals(1, stack.notesFor("slack-infra-team", "TargetDown", job, "firing").size(), job + " firing");
        assertEquals(1, stack.notesFor("slack-infra-team", "TargetDown", job, "resolved").size(), job + " resolved");
      }
      for (String r : List.of("pagerduty", "slack-critical")) {
        assertEquals(1, stack.notes(r, FAST, "firing").size(), r);
      }
    });
  }

  @Test
  @Order(70)
  void healingResolvesTheAlertAndTheReceiversAreTold() throws Exception {
    for (String r : List.of("pagerduty", "slack-critical")) {
      Poll.untilPasses(Duration.ofSeconds(120), FAST + " resolved to " + r, () -> assertEquals(1, stack.notes(r, FAST, "resolved").size(), r + " resolved"));
      assertEquals(1, stack.notes(r, FAST, "firing").size(), r + ": one page for the whole outage");
    }
    assertEquals(0, a.query("ALERTS{alertname=\"" + FAST + "\"}").size());
    // The slow burn the fast one inhibited is still burning: now the ML channel hears of it.
    Poll.untilPasses(Duration.ofSeconds(40), "one " + SLOW + " notification to slack-ml-team", () -> assertEquals(1, stack.notes("slack-ml-team", SLOW, "firing").size()));
    stack.assertOnlyTold(SLOW, "slack-ml-team");
  }

  @Test
  @Order(80)
  void aGlobalPrometheusFederatesTheSloSeriesOfBothRegionalServers() throws Exception {
    Poll.untilOk(Duration.ofSeconds(30), "the global view of both replicas' SLO", () -> {
      Map<String, Double> byReplica = global.byLabel("slo:availability:ratio_rate30d{job=\"inference-gateway\"}", "replica");
      assertEquals(Set.of("prometheus-0", "prometheus-1"), byReplica.keySet());
      double regional = a.value("slo:availability:ratio_rate30d");
      assertEquals(regional, byReplica.get("prometheus-0"), 0.002);
      return null;
    });
    assertTrue(global.value("count(http_requests_total{job=\"inference-gateway\"})") > 0, "the gateway's raw requests");
    assertEquals(0, global.query("node_load1").size(), "nothing beyond slo:* and the gateway");
  }
}
