package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the rule files promise beyond syntax: labels and annotations routing depends on, the SLO
 * target in one place, the thresholds of the architecture document, and a unit test for each rule.
 */
class RuleConventionsTest {
  private static final String RUNBOOKS =
      "https://github.com/promsuite/promsuite/blob/main/packaging/runbooks/";

  /** One rule with the file and group it sits in, for messages. */
  private record Rule(String file, String group, JsonNode node) {
    boolean isAlert() {
      return node.has("alert");
    }

    String name() {
      return isAlert() ? node.get("alert").asText() : node.get("record").asText();
    }

    String expr() {
      return node.get("expr").asText();
    }

    String where() {
      return file + ", group " + group + ", rule " + name();
    }
  }

  private static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (Path file : Packaging.files("prometheus/rules", ".yml")) {
      for (JsonNode group : Packaging.yaml(file).get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          rules.add(new Rule(file.getFileName().toString(), group.get("name").asText(), rule));
        }
      }
    }
    return rules;
  }

  private static Map<String, Rule> alerts() {
    Map<String, Rule> alerts = new LinkedHashMap<>();
    rules().stream().filter(Rule::isAlert).forEach(r -> alerts.put(r.name(), r));
    return alerts;
  }

  private static List<JsonNode> unitTestFiles() {
    return Packaging.files("prometheus/tests", ".yml").stream().map(Packaging::yaml).toList();
  }

  @Test
  void everyAlertCarriesRoutingLabelsAndAnnotations() {
    assertEquals(13, alerts().size(), "alerts: " + alerts().keySet());
    for (Rule alert : alerts().values()) {
      JsonNode labels = alert.node().path("labels");
      assertTrue(Set.of("critical", "warning").contains(labels.path("severity").asText()),
          alert.where() + ": severity must be critical or warning, is '" + labels.path("severity").asText() + "'");
      assertTrue(Set.of("ml-platform", "infrastructure").contains(labels.path("team").asText()),
          alert.where() + ": team must be ml-platform or infrastructure, is '" + labels.path("team").asText() + "'");
      assertTrue(!labels.path("service").asText().isBlank(), alert.where() + ": no service label");
      JsonNode annotations = alert.node().path("annotations");
      for (String key : List.of("summary", "description", "runbook_url")) {
        assertTrue(!annotations.path(key).asText().isBlank(), alert.where() + ": no " + key + " annotation");
      }
      String runbook = annotations.path("runbook_url").asText();
      assertEquals(RUNBOOKS + alert.name() + ".md", runbook, alert.where() + ": runbook_url");
      assertTrue(Files.isRegularFile(Packaging.file("runbooks/" + alert.name() + ".md")),
          alert.where() + ": runbook " + runbook + " has no file packaging/runbooks/" + alert.name() + ".md");
    }
  }

  @Test
  void sloTargetIsWrittenOnlyInTheObjectiveRule() {
    List<String> mentions = new ArrayList<>();
    for (Rule rule : rules()) {
      if (rule.expr().matches("(?s).*\\b0?\\.(995|005)\\b.*") || rule.expr().contains("99.5")) {
        mentions.add(rule.name());
      }
    }
    assertEquals(List.of("slo:availability:objective"), mentions, "rules that spell the SLO target out");
    Rule objective = rules().stream().filter(r -> r.name().equals("slo:availability:objective")).findFirst().orElseThrow();
    assertEquals("vector(0.995)", objective.expr().strip());
    List<String> budgetRules = rules().stream()
        .filter(r -> r.name().startsWith("slo:availability:burn_rate") || r.name().equals("slo:availability:error_budget_remaining"))
        .peek(r -> assertTrue(r.expr().contains("(1 - slo:availability:objective)"), r.where() + " must divide by the objective's budget"))
        .map(Rule::name).toList();
    assertEquals(List.of("slo:availability:burn_rate:1h", "slo:availability:burn_rate:6h", "slo:availability:burn_rate:3d",
        "slo:availability:burn_rate:7d", "slo:availability:error_budget_remaining"), budgetRules);
  }

  @Test
  void sloHierarchyHasEveryLevelAndWindowOfTheDocument() {
    Set<String> records = new TreeSet<>();
    rules().stream().filter(r -> !r.isAlert()).forEach(r -> records.add(r.name()));
    for (String window : List.of("5m", "1h", "6h", "3d", "7d", "30d")) {
      assertTrue(records.contains("slo:http:request_rate:" + window), "level 1 request rate " + window);
      assertTrue(records.contains("slo:http:error_rate:" + window), "level 1 error rate " + window);
      assertTrue(records.contains("slo:availability:ratio_rate" + window), "level 2 ratio " + window);
    }
    for (String window : List.of("1h", "6h", "3d", "7d")) {
      assertTrue(records.contains("slo:availability:burn_rate:" + window), "level 3 burn rate " + window);
    }
    assertTrue(records.contains("slo:availability:error_budget_remaining"), "level 4 error budget");
  }

  @Test
  void burnRateAlertsUseTheDocumentsWindowsThresholdsAndDurations() {
    Rule fast = alerts().get("SLOAvailabilityFastBurn");
    assertTrue(fast.expr().contains("slo:availability:burn_rate:1h > 14.4"), fast.expr());
    assertTrue(fast.expr().contains("slo:availability:burn_rate:6h > 14.4"), fast.expr());
    assertEquals("2m", fast.node().get("for").asText());
    assertEquals("critical", fast.node().get("labels").get("severity").asText());
    Rule slow = alerts().get("SLOAvailabilitySlowBurn");
    assertTrue(slow.expr().contains("slo:availability:burn_rate:3d > 6"), slow.expr());
    assertTrue(slow.expr().contains("slo:availability:burn_rate:7d > 6"), slow.expr());
    assertEquals("15m", slow.node().get("for").asText());
    assertEquals("warning", slow.node().get("labels").get("severity").asText());
  }

  /** Each alert is seen firing in some unit test, and seen not firing (exp_alerts: []) in one. */
  @Test
  void everyAlertHasAFiringAndAQuietUnitTest() {
    Set<String> firing = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (JsonNode file : unitTestFiles()) {
      for (JsonNode group : file.get("tests")) {
        for (JsonNode test : group.path("alert_rule_test")) {
          (test.path("exp_alerts").isEmpty() ? quiet : firing).add(test.get("alertname").asText());
        }
      }
    }
    assertEquals(new TreeSet<>(alerts().keySet()), firing, "alerts with a unit test that sees them fire");
    assertEquals(new TreeSet<>(alerts().keySet()), quiet, "alerts with a unit test that sees them not fire (yet)");
  }

  @Test
  void everyRecordingRuleIsCheckedByAUnitTest() {
    Pattern metric = Pattern.compile("slo:[a-z_]+:[a-z_0-9:]+");
    Set<String> checked = new TreeSet<>();
    for (JsonNode file : unitTestFiles()) {
      for (JsonNode group : file.get("tests")) {
        for (JsonNode test : group.path("promql_expr_test")) {
          Matcher m = metric.matcher(test.get("expr").asText());
          while (m.find()) {
            checked.add(m.group());
          }
        }
      }
    }
    Set<String> records = new TreeSet<>();
    rules().stream().filter(r -> !r.isAlert()).forEach(r -> records.add(r.name()));
    records.removeAll(checked);
    assertEquals(Set.of(), records, "recording rules no promql_expr_test looks at");
  }

  /** promtool orders only the groups it is told about; a group left out would run in any order. */
  @Test
  void everyUnitTestFileOrdersEveryRuleGroup() {
    List<String> groups = rules().stream().map(Rule::group).distinct().toList();
    for (Path file : Packaging.files("prometheus/tests", ".yml")) {
      List<String> order = new ArrayList<>();
      Packaging.yaml(file).path("group_eval_order").forEach(n -> order.add(n.asText()));
      assertEquals(new TreeSet<>(groups), new TreeSet<>(order), file.getFileName() + ": group_eval_order");
      assertTrue(order.indexOf("slo-inference-gateway-objective") < order.indexOf("slo-inference-gateway-rates")
          && order.indexOf("slo-inference-gateway-rates") < order.indexOf("slo-inference-gateway-ratios")
          && order.indexOf("slo-inference-gateway-ratios") < order.indexOf("slo-inference-gateway-alerts"),
          file.getFileName() + ": SLO groups must run in dependency order: " + order);
    }
  }
}
