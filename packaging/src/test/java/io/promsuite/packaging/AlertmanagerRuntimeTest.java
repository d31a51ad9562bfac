package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Alertmanager running packaging/alertmanager: startup, inhibition, delivery, HA gossip. */
class AlertmanagerRuntimeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private static Daemon alertmanager(Path tmp, String name, Path config, int webPort, List<String> extraFlags) {
    List<String> command = new ArrayList<>(List.of(RealParts.require("/usr/bin/prometheus-alertmanager").toString(),
        "--config.file=" + config,
        "--storage.path=" + tmp.resolve(name + "-data"),
        "--web.listen-address=127.0.0.1:" + webPort));
    command.addAll(extraFlags);
    Daemon daemon = Daemon.start(name, tmp, command);
    Http.await(STARTUP, name + " /-/ready", () -> {
      daemon.assertAlive();
      return Http.get("http://127.0.0.1:" + webPort + "/-/ready").status() == 200;
    });
    return daemon;
  }

  private static String alert(String name, Map<String, String> labels) {
    Map<String, String> all = new TreeMap<>(labels);
    all.put("alertname", name);
    try {
      return JSON.writeValueAsString(Map.of("labels", all,
          "annotations", Map.of("summary", name + " test summary", "description", "posted by the packaging test",
              "runbook_url", "https://github.com/promsuite/promsuite/blob/main/packaging/runbooks/" + name + ".md")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void post(int port, String... alerts) {
    Http.Response response = Http.post("http://127.0.0.1:" + port + "/api/v2/alerts", "application/json",
        "[" + String.join(",", alerts) + "]");
    assertEquals(200, response.status(), response.body());
  }


  @Test
  void referenceConfigStartsAndInhibitsSlowBurnAndAlertsOfADownTarget(@TempDir Path tmp) {
    int port = Http.freePort();
    try (Daemon am = alertmanager(tmp, "alertmanager", Packaging.file("alertmanager/alertmanager.yml"), port,
        List.of("--cluster.listen-address="))) {
      JsonNode status = Packaging.json(Http.get("http://127.0.0.1:" + port + "/api/v2/status").body());
      assertTrue(status.at("/config/original").asText().contains("receiver: slack-ml-team"), status.toString());

      post(port,
          alert("SLOAvailabilityFastBurn", Map.of("severity", "critical", "team", "ml-platform", "service", "inference-gateway")),
          alert("SLOAvailabilitySlowBurn", Map.of("severity", "warning", "team", "ml-platform", "service", "inference-gateway")),
          alert("SLOAvailabilitySlowBurn", Map.of("severity", "warning", "team", "ml-platform", "service", "search-gateway")),
          alert("TargetDown", Map.of("severity", "warning", "team", "infrastructure", "service", "host-exporter", "instance", "h1:9100")),
          alert("HostMemoryLow", Map.of("severity", "warning", "team", "infrastructure", "service", "host", "instance", "h1:9100")),
          alert("HostMemoryLow", Map.of("severity", "warning", "team", "infrastructure", "service", "host", "instance", "h2:9100")));

      Map<String, String> expected = Map.of(
          "SLOAvailabilityFastBurn/inference-gateway/", "active",
          "SLOAvailabilitySlowBurn/inference-gateway/", "suppressed",
          "SLOAvailabilitySlowBurn/search-gateway/", "active",
          "TargetDown/host-exporter/h1:9100", "active",
          "HostMemoryLow/host/h1:9100", "suppressed",
          "HostMemoryLow/host/h2:9100", "active");
      Map<String, String> states = new TreeMap<>();
      Http.await(Duration.ofSeconds(30), () -> "inhibition states " + expected + ", last seen " + states, () -> {
        states.clear();
        for (JsonNode a : Packaging.json(Http.get("http://127.0.0.1:" + port + "/api/v2/alerts").body())) {
          JsonNode l = a.get("labels");
          states.put(l.get("alertname").asText() + "/" + l.path("service").asText() + "/" + l.path("instance").asText(),
              a.at("/status/state").asText());
        }
        return states.equals(new TreeMap<>(expected));
      });
      am.assertAlive();
    }
  }

  @Test
  void notificationsReachTheRoutedReceiversWithSecretsReadFromFiles(@TempDir Path tmp) throws IOException {
    try (LoopbackHttp webhooks = new LoopbackHttp(); SmtpSink smtp = new SmtpSink()) {
      Path secrets = Files.createDirectories(tmp.resolve("secrets"));
      Files.writeString(secrets.resolve("pagerduty-routing-key"), "routing-key-from-file");
      Files.writeString(secrets.resolve("smtp-password"), "smtp-password-from-file");
      for (String channel : List.of("critical", "ml", "infra")) {
        Files.writeString(secrets.resolve("slack-" + channel + "-webhook-url"),
            "http://" + webhooks.address() + "/slack/" + channel);
      }
      // The same file with its outside endpoints pointed at the sinks above; routing, receivers,
      // templates and secret file names stay as they are. group_wait shrinks from 30 s to 1 s
      // only so the test does not idle.
      String config = Packaging.read(Packaging.file("alertmanager/alertmanager.yml"));
      config = Packaging.rewrite(config, "/etc/alertmanager/secrets/", secrets + "/");
      config = Packaging.rewrite(config, "smtp_smarthost: smtp.example.org:587", "smtp_smarthost: 127.0.0.1:" + smtp.port());
      config = Packaging.rewrite(config, "smtp_require_tls: true", "smtp_require_tls: false");
      config = Packaging.rewrite(config, "global:\n", "global:\n  pagerduty_url: http://" + webhooks.address() + "/pagerduty\n");
      config = Packaging.rewrite(config, "group_wait: 30s", "group_wait: 1s");
      config = Packaging.rewrite(config, "  - templates/*.tmpl", "  - " + Packaging.file("alertmanager/templates") + "/*.tmpl");
      Path file = Packaging.write(tmp.resolve("alertmanager.yml"), config);

      int port = Http.freePort();
      try (Daemon am = alertmanager(tmp, "alertmanager", file, port, List.of("--cluster.listen-address="))) {
        post(port,
            alert("SLOAvailabilityFastBurn", Map.of("severity", "critical", "team", "ml-platform", "service", "inference-gateway", "job", "inference-gateway")),
            alert("MLModelStale", Map.of("severity", "warning", "team", "ml-platform", "service", "resnet50", "model", "resnet50")),
            alert("HostMemoryLow", Map.of("severity", "warning", "team", "infrastructure", "service", "host", "instance", "h2:9100")),
            alert("Watchdog", Map.of("severity", "info", "service", "promsuite")));

        Http.await(Duration.ofSeconds(60), "one notification on each of the 5 receivers", () -> {
          am.assertAlive();
          return webhooks.requests("/pagerduty").size() == 1 && webhooks.requests("/slack/critical").size() == 1
              && webhooks.requests("/slack/ml").size() == 1 && webhooks.requests("/slack/infra").size() == 1
              && smtp.mails().size() == 1;
        });

        JsonNode pagerduty = Packaging.json(webhooks.requests("/pagerduty").getFirst().body());
        assertEquals("routing-key-from-file", pagerduty.get("routing_key").asText());
        assertEquals("trigger", pagerduty.get("event_action").asText());
        assertEquals("critical", pagerduty.at("/payload/severity").asText());
        assertEquals("[FIRING:1] SLOAvailabilityFastBurn (inference-gateway, critical)", pagerduty.at("/payload/summary").asText());
        assertEquals("https://github.com/promsuite/promsuite/blob/main/packaging/runbooks/SLOAvailabilityFastBurn.md",
            pagerduty.at("/links/0/href").asText());

        assertSlack(webhooks, "critical", "#alerts-critical", "[FIRING:1] SLOAvailabilityFastBurn (inference-gateway, critical)");
        assertSlack(webhooks, "ml", "#ml-alerts", "[FIRING:1] MLModelStale (resnet50, warning)");
        assertSlack(webhooks, "infra", "#infra-alerts", "[FIRING:1] HostMemoryLow (host, warning)");

        SmtpSink.Mail mail = smtp.mails().getFirst();
        assertEquals("promsuite-alertmanager@example.org", mail.username());
        assertEquals("smtp-password-from-file", mail.password());
        assertEquals(List.of("<oncall@example.org>"), mail.to());
        assertTrue(mail.data().contains("Subject: [FIRING:1] Watchdog (promsuite, info)"), mail.data());
      }
    }
  }

  private static void assertSlack(LoopbackHttp webhooks, String path, String channel, String title) {
    JsonNode slack = Packaging.json(webhooks.requests("/slack/" + path).getFirst().body());
    assertEquals(channel, slack.get("channel").asText(), slack.toString());
    assertEquals(title, slack.at("/attachments/0/title").asText(), slack.toString());
    assertTrue(slack.at("/attachments/0/text").asText().contains("Runbook: https://github.com/promsuite/"), slack.toString());
  }

  /**
   * ha/alertmanager-{1,2}.default as written, with their addresses mapped to loopback ports: the
   * two nodes form a cluster over the gossip port and a silence made on one is served by the other.
   */
  @Test
  void haPairFromTheExampleGossipsSilences(@TempDir Path tmp) {
    Map<String, String> addresses = new TreeMap<>();
    for (String node : List.of("10.0.1.10", "10.0.1.11")) {
      addresses.put(node + ":9093", "127.0.0.1:" + Http.freePort());
      addresses.put(node + ":9094", "127.0.0.1:" + Http.freePort());
    }
    List<Daemon> nodes = new ArrayList<>();
    try {
      List<Integer> webPorts = new ArrayList<>();
      for (int n = 1; n <= 2; n++) {
        List<String> flags = haFlags(Packaging.file("alertmanager/ha/alertmanager-" + n + ".default"));
        assertTrue(flags.stream().anyMatch(f -> f.matches("--cluster\\.listen-address=10\\.0\\.1\\.1[01]:9094")), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.matches("--cluster\\.peer=10\\.0\\.1\\.1[01]:9094")), flags.toString());
        List<String> local = new ArrayList<>();
        int webPort = -1;
        for (String flag : flags) {
          if (flag.startsWith("--config.file=") || flag.startsWith("--storage.path=")) {
            continue; // set by alertmanager() below
          }
          for (var a : addresses.entrySet()) {
            flag = flag.replace(a.getKey(), a.getValue());
          }
          if (flag.startsWith("--web.listen-address=")) {
            webPort = Integer.parseInt(flag.substring(flag.lastIndexOf(':') + 1));
            continue;
          }
          local.add(flag);
        }
        webPorts.add(webPort);
        nodes.add(alertmanager(tmp, "alertmanager-" + n, Packaging.file("alertmanager/alertmanager.yml"), webPort, local));
      }
      for (int port : webPorts) {
        Http.await(Duration.ofSeconds(90), "a ready 2-peer cluster on :" + port, () -> {
          JsonNode cluster = Packaging.json(Http.get("http://127.0.0.1:" + port + "/api/v2/status").body()).get("cluster");
          return cluster.get("status").asText().equals("ready") && cluster.get("peers").size() == 2;
        });
      }
      String silence = """
          {"matchers":[{"name":"alertname","value":"HostHighLoad","isRegex":false,"isEqual":true}],
           "startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z",
           "createdBy":"packaging-test","comment":"maintenance window"}""";
      Http.Response created = Http.post("http://127.0.0.1:" + webPorts.get(0) + "/api/v2/silences", "application/json", silence);
      assertEquals(200, created.status(), created.body());
      String id = Packaging.json(created.body()).get("silenceID").asText();
      Http.await(Duration.ofSeconds(30), "silence " + id + " on the second node", () -> {
        for (JsonNode s : Packaging.json(Http.get("http://127.0.0.1:" + webPorts.get(1) + "/api/v2/silences").body())) {
          if (s.get("id").asText().equals(id) && s.get("comment").asText().equals("maintenance window")) {
            return true;
          }
        }
        return false;
      });
    } finally {
      nodes.forEach(Daemon::close);
    }
  }

  /** The flags in the ARGS="..." of a Debian defaults file. */
  static List<String> haFlags(Path defaultsFile) {
    Matcher args = Pattern.compile("(?s)ARGS=\"(.*?)\"").matcher(Packaging.read(defaultsFile));
    assertTrue(args.find(), defaultsFile + " has no ARGS=\"...\"");
    return List.of(args.group(1).replace("\\\n", " ").trim().split("\\s+"));
  }
}
