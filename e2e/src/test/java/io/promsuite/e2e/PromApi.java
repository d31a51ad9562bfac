package io.promsuite.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prometheus' HTTP API as the test reads it: instant queries by name and label. */
record PromApi(String name, String base) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code data.result} of an instant query. */
  JsonNode query(String promql) throws Exception {
    var r = Http.get(base + "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode root = JSON.readTree(r.body());
    if (!"success".equals(root.path("status").asText())) {
      throw new IllegalStateException(name + ": query " + promql + " failed: " + r.body());
    }
    return root.path("data").path("result");
  }

  /** The single value of {@code promql}; fails unless there is exactly one series. */
  double value(String promql) throws Exception {
    JsonNode result = query(promql);
    if (result.size() != 1) {
      throw new AssertionError(name + ": " + promql + " has " + result.size() + " series: " + result);
    }
    return result.get(0).path("value").get(1).asDouble();
  }

  /** Values of {@code promql} keyed by the value of {@code label}. */
  Map<String, Double> byLabel(String promql, String label) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (JsonNode s : query(promql)) {
      out.put(s.path("metric").path(label).asText(), s.path("value").get(1).asDouble());
    }
    return out;
  }
}
