package io.promsuite.e2e.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleScalerTest {
  private final RuleScaler scaler = new RuleScaler(120, 4000, "1s");

  @Test
  void scalesRangeSelectorsSubqueriesAndOffsetsButNotThresholds() {
    assertEquals("sum(rate(http_requests_total{status=~\"5..\"}[30s])) > 14.4",
        scaler.scaleExpr("sum(rate(http_requests_total{status=~\"5..\"}[1h])) > 14.4"));
    assertEquals("rate(x[4s])", scaler.scaleExpr("rate(x[5m])"));
    assertEquals("max_over_time(rate(x[3m])[30s:2s500ms])", scaler.scaleExpr("max_over_time(rate(x[6h])[1h:5m])"));
    assertEquals("max_over_time(x[30s:])", scaler.scaleExpr("max_over_time(x[1h:])"));
    assertEquals("x offset 30s", scaler.scaleExpr("x offset 1h"));
    assertEquals("predict_linear(a[3m], 24 * 3600) < 0", scaler.scaleExpr("predict_linear(a[6h], 24 * 3600) < 0"));
    assertEquals("time() - x > 14 * 86400", scaler.scaleExpr("time() - x > 14 * 86400"));
  }

  @Test
  void scalesForAndGroupIntervalsAndKeepsEverythingElse(@TempDir Path dir) throws IOException {
    Path rules = dir.resolve("r.yml");
    Files.writeString(rules, """
        groups:
          - name: g
            interval: 30s
            rules:
              - record: slo:x:rate1h
                expr: sum(rate(x[1h]))
              - alert: Burn
                expr: slo:x:rate1h > 14.4
                for: 2m
                labels:
                  severity: critical
                  service: '{{ $labels.job }}'
                annotations:
                  summary: 'value {{ $value | printf "%.1f" }}'
        """);
    String out = scaler.scale(rules);
    assertTrue(out.startsWith("# GENERATED"), out);
    var tree = Yaml.mapper().readTree(out.substring(out.indexOf('\n') + 1));
    var g = tree.path("groups").get(0);
    assertEquals("1s", g.path("interval").asText());
    assertEquals("sum(rate(x[30s]))", g.path("rules").get(0).path("expr").asText());
    assertEquals("1s", g.path("rules").get(1).path("for").asText());
    assertEquals("{{ $labels.job }}", g.path("rules").get(1).path("labels").path("service").asText());
    assertEquals("value {{ $value | printf \"%.1f\" }}", g.path("rules").get(1).path("annotations").path("summary").asText());
  }

  @Test
  void aBadDurationNamesTheFileGroupAndRule(@TempDir Path dir) throws IOException {
    Path rules = dir.resolve("bad.yml");
    Files.writeString(rules, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: soon\n");
    assertEquals("bad.yml group g rule A: 'soon' is not a Prometheus duration (like 30s, 5m, 1h30m)",
        assertThrows(IOException.class, () -> scaler.scale(rules)).getMessage());
  }
}
