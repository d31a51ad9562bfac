package io.promsuite.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs the local stack and the e2e test run are generated from packaging/'s reference
 * files; the real tools accept them, and they keep the reference's rules, routes and inhibitions.
 */
class GeneratedConfigsTest {
  @TempDir
  Path dir;
  private SuiteLayout layout;

  @BeforeEach
  void references() {
    layout = SuiteLayout.find(Path.of(""));
    if (!layout.missingReferences().isEmpty()) {
      RealParts.missing("packaging reference files missing: " + layout.missingReferences());
    }
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  private List<Path> referenceRules() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(layout.file(SuiteLayout.RULES), "*.yml")) {
      s.forEach(out::add);
    }
    return out;
  }

  @Test
  void scaledRulesPassPromtoolAndKeepEveryRuleLabelAndThreshold() throws Exception {
    Path promtool = RealParts.require("promtool");
    RuleScaler scaler = new RuleScaler(StackOptions.RULE_DIVISOR, StackOptions.WINDOW_FLOOR_MILLIS, StackOptions.FAST_INTERVAL);
    for (Path ref : referenceRules()) {
      Path out = dir.resolve(ref.getFileName());
      String scaled = scaler.scale(ref);
      Files.writeString(out, scaled);
      run(List.of(promtool.toString(), "check", "rules", out.toString()));
      JsonNode original = Yaml.read(ref);
      JsonNode generated = Yaml.read(out);
      for (int g = 0; g < original.path("groups").size(); g++) {
        JsonNode og = original.path("groups").get(g);
        JsonNode gg = generated.path("groups").get(g);
        assertEquals(og.path("name"), gg.path("name"));
        assertEquals(og.path("rules").size(), gg.path("rules").size());
        for (int r = 0; r < og.path("rules").size(); r++) {
          JsonNode or = og.path("rules").get(r);
          JsonNode gr = gg.path("rules").get(r);
          String what = ref.getFileName() + " " + or.path("alert").asText(or.path("record").asText());
          assertEquals(or.path("alert"), gr.path("alert"), what);
          assertEquals(or.path("record"), gr.path("record"), what);
          assertEquals(or.path("labels"), gr.path("labels"), what);
          assertEquals(or.path("annotations"), gr.path("annotations"), what);
          assertEquals(scaler.scaleExpr(or.path("expr").asText()), gr.path("expr").asText(), what);
          assertEquals(or.path("expr").asText().replaceAll("\\[[^]]*]|offset \\S+", "[]"),
              gr.path("expr").asText().replaceAll("\\[[^]]*]|offset \\S+", "[]"), what + ": only windows change");
        }
      }
    }
    String slo = scaler.scale(layout.file(SuiteLayout.RULES).resolve("slo.yml"));
    assertTrue(slo.contains("[1m]") && slo.contains("[6m]"), "1h and 6h windows became 1m and 6m:\n" + slo);
  }

  @Test
  void loopbackPrometheusConfigsPassPromtool() throws Exception {
    Path promtool = RealParts.require("promtool");
    Path rules = Files.createDirectories(dir.resolve("rules"));
    RuleScaler scaler = new RuleScaler(StackOptions.RULE_DIVISOR, StackOptions.WINDOW_FLOOR_MILLIS, StackOptions.FAST_INTERVAL);
    for (Path ref : referenceRules()) {
      Files.writeString(rules.resolve(ref.getFileName()), scaler.scale(ref));
    }
    AddressBook book = new AddressBook().put("localhost:9090", "127.0.0.1:1").put("alertmanager:9093", "127.0.0.1:2")
        .put("host-exporter:9100", "127.0.0.1:3").put("container-exporter:8080", "127.0.0.1:4")
        .put("ml-model-exporter:9101", "127.0.0.1:5").put("pushgateway:9091", "127.0.0.1:6")
        .put("inference-gateway:8000", "127.0.0.1:7").put("blackbox-exporter:9115", "127.0.0.1:8")
        .put("dns-resolver:53", "127.0.0.1:9").host("inference-gateway", "127.0.0.1");
    String yaml = PrometheusConfigs.regional(layout.file(SuiteLayout.PROMETHEUS), new PrometheusConfigs.Options("1s", "prometheus-0",
        List.of("127.0.0.1:2", "127.0.0.1:12"), List.of(rules.resolve("*.yml").toString()), book));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, yaml);
    run(List.of(promtool.toString(), "check", "config", config.toString()));
    for (List<String> targets : PrometheusConfigs.jobs(yaml).values()) {
      for (String t : targets) {
        assertTrue(t.matches("(https?://)?127\\.0\\.0\\.1(:\\d+)?(/.*)?"), "every target on loopback: " + t);
      }
    }
    assertTrue(yaml.contains("honor_labels: true"), "the Pushgateway job keeps honor_labels");

    String fed = PrometheusConfigs.federation(layout.file(SuiteLayout.FEDERATION), "1s", new AddressBook()
        .put("prometheus-us-east:9090", "127.0.0.1:1").put("prometheus-eu:9090", null).put("prometheus-apac:9090", null));
    Path fedConfig = dir.resolve("federation.yml");
    Files.writeString(fedConfig, fed);
    run(List.of(promtool.toString(), "check", "config", fedConfig.toString()));
    assertTrue(fed.contains("slo:.*"), fed);
  }

  @Test
  void unknownTargetsInTheReferenceAreAnErrorNotASilentGap() {
    AddressBook book = new AddressBook().put("localhost:9090", "127.0.0.1:1");
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> PrometheusConfigs.regional(
        layout.file(SuiteLayout.PROMETHEUS), new PrometheusConfigs.Options("1s", null, List.of("127.0.0.1:2"), List.of(), book)));
    assertTrue(e.getMessage().contains("prometheus.yml: job ") && e.getMessage().contains("no local address for"), e.getMessage());
  }

  @Test
  void localAlertmanagerConfigKeepsTheRoutingTreeAndSendsEveryReceiverToALocalWebhook() throws Exception {
    Path amtool = RealParts.require("amtool");
    String yaml = AlertmanagerConfigs.local(layout.file(SuiteLayout.ALERTMANAGER), name -> "http://127.0.0.1:9/" + name,
        StackOptions.ROUTE_DIVISOR);
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, yaml);
    run(List.of(amtool.toString(), "check-config", config.toString()));
    String[][] routes = {
        {"severity=critical", "pagerduty,slack-critical"},
        {"severity=warning team=ml-platform", "slack-ml-team"},
        {"severity=warning team=infrastructure", "slack-infra-team"},
        {"severity=info", "email-fallback"},
    };
    for (String[] r : routes) {
      List<String> cmd = new ArrayList<>(List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + config));
      cmd.addAll(List.of(r[0].split(" ")));
      // amtool prints a warning about --alertmanager.url first; the receivers are the last line.
      assertEquals(r[1], run(cmd).strip().lines().reduce((x, y) -> y).orElse(""), r[0]);
    }
    JsonNode tree = Yaml.read(config);
    for (JsonNode receiver : tree.path("receivers")) {
      String name = receiver.path("name").asText();
      assertEquals("http://127.0.0.1:9/" + name, receiver.path("webhook_configs").path(0).path("url").asText(), name);
      assertEquals(2, receiver.size(), name + " has only its local webhook: " + receiver);
    }
    JsonNode reference = Yaml.read(layout.file(SuiteLayout.ALERTMANAGER));
    assertEquals(reference.path("inhibit_rules"), tree.path("inhibit_rules"));
    assertEquals(reference.path("route").path("group_by"), tree.path("route").path("group_by"));
    assertEquals("1s", tree.path("route").path("group_wait").asText());
    assertEquals("10s", tree.path("route").path("group_interval").asText());
  }
}
