package io.promsuite.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every query of the Grafana dashboards in packaging/grafana against a real Prometheus and
 * lists what is wrong: a parse error, a result type the panel cannot draw (a matrix over a range
 * for time series, an instant vector for stat and table panels), or no data where data must be.
 */
final class DashboardQueries {
  /** How many queries were run, and the problems found. */
  record Outcome(int checked, List<String> problems) {}

  private DashboardQueries() {}

  /** {@code dataRequiredIn}: uid of the dashboard whose every query must return series. */
  static Outcome check(PrometheusServer prometheus, String job, String dataRequiredIn) {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : Packaging.files("grafana", ".json")) {
      JsonNode dashboard = Packaging.json(Packaging.read(file));
      boolean mustHaveData = dashboard.get("uid").asText().equals(dataRequiredIn);
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.get("targets")) {
          checked++;
          String where = file.getFileName() + " panel '" + panel.get("title").asText() + "' " + target.get("refId").asText();
          String problem = problem(prometheus, panel, target, job, mustHaveData);
          if (problem != null) {
            problems.add(where + ": " + problem);
          }
        }
      }
    }
    return new Outcome(checked, problems);
  }

  private static String problem(PrometheusServer prometheus, JsonNode panel, JsonNode target, String job,
      boolean mustHaveData) {
    String expr = target.get("expr").asText().replace("$job", job).replace("$__rate_interval", "1m");
    if (expr.matches("(?s).*\\$(?!\\d).*")) {
      return "unknown variable in " + expr;
    }
    boolean instant = target.path("instant").asBoolean(false);
    String type = panel.get("type").asText();
    if (instant != List.of("stat", "table").contains(type)) {
      return "a " + type + " panel with instant=" + instant;
    }
    // The range ends a minute ahead: the newest rule result may be younger than a whole second.
    long end = System.currentTimeMillis() / 1000 + 60;
    String path = instant
        ? "/api/v1/query?query=" + PrometheusServer.encode(expr)
        : "/api/v1/query_range?start=" + (end - 660) + "&end=" + end + "&step=15&query=" + PrometheusServer.encode(expr);
    Http.Response response = Http.get(prometheus.url(path));
    if (response.status() != 200) {
      return expr + " -> HTTP " + response.status() + " " + response.body();
    }
    JsonNode data = Packaging.json(response.body()).get("data");
    String expected = instant ? "vector" : "matrix";
    if (!data.get("resultType").asText().equals(expected)) {
      return expr + " returned " + data.get("resultType").asText() + ", the panel needs " + expected;
    }
    if (mustHaveData && data.get("result").isEmpty()) {
      return expr + " returned no series";
    }
    return null;
  }
}
